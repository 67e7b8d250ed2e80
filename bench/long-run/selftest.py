#!/usr/bin/env python3
"""Shows that the checks can fail: takes a pass that check.py passed, corrupts a copy of its raw data one way at a
time (a retry after a charged request, an answer after its deadline, another answer than the API gave, a schema
violation, RSS growth, a number in the log, a missing summary line, a rejected token not followed by the new
one, an idempotency key charged twice) and requires each corruption to break the promise it stands for (it may
break others with it: another answer than the API gave also disagrees with the summary line). Exits 1 otherwise.
"""

import argparse
import copy
import json
import sys

import check


def first(p, predicate):
    for inv in p.invocations:
        if predicate(inv):
            return inv
    raise SystemExit(f"selftest: no invocation of the {p.meta['pass']} pass fits a corruption")


def answer_of(inv):
    return check.Answer(inv, VALIDATOR)


def billable(inv):
    a = answer_of(inv)
    return a.outcome is not None and a.outcome["billable"] and inv["source"] == "direct"


def corruptions(p):
    """(name, promise it must break, function that corrupts a copy of p)."""
    def double_charge(q):
        # A retry after a call that was charged: the first of two requests charged as well.
        inv = first(q, lambda i: billable(i) and len(q.by_cid.get(i["cid"], [])) > 1)
        q.by_cid[inv["cid"]][0]["charged"] = True

    def late(q):
        inv = q.invocations[len(q.invocations) // 2]
        inv["done_ms"] = inv["deadline_ms"] + 1

    def other_answer(q):
        inv = first(q, billable)
        o = json.loads(inv["body"])
        o.update(status="INCONSISTENT" if o["status"] == "CONSISTENT" else "CONSISTENT",
                 match=o["status"] != "CONSISTENT", result_code=1 - o["result_code"])
        inv["body"] = json.dumps(o, ensure_ascii=False)

    def schema(q):
        inv = first(q, billable)
        o = json.loads(inv["body"])
        del o["hint"]
        inv["body"] = json.dumps(o, ensure_ascii=False)

    def rss_growth(q):
        q.rss[-1] = dict(q.rss[-1], rss_kb=q.rss[-1]["rss_kb"] + 20 * 1024)

    def number_in_log(q):
        q.log += "\nverification of " + check.plan.people(q.meta["seed"])[0].mobile + "\n"

    def lost_summary(q):
        rid = q.invocations[len(q.invocations) // 3]["rid"]
        q.log = "\n".join(line for line in q.log.splitlines()
                          if not ("verify.summary" in line and rid in line))

    def stale_token(q):
        # After the rotation, an answered call that first met a 401 and was then repeated with the same old token.
        rotation = q.meta["windows"]["token-rotation"]
        inv = first(q, lambda i: i["i"] >= rotation and q.by_cid.get(i["cid"]) and answer_of(i).outcome is not None)
        rows = q.by_cid[inv["cid"]]
        for r in rows:
            r["token"] = 1
        rows.insert(0, dict(rows[0], n=0, kind="invalid-token", result=None, charged=False, status=401, trace=None))

    def key_charged_twice(q):
        keys = {}
        for inv in q.invocations:
            if inv["key"] and answer_of(inv).outcome is not None and answer_of(inv).outcome["replayed"]:
                keys[inv["key"]] = inv
        inv = next(iter(keys.values()))
        q.by_cid[inv["cid"]] = [{"cid": inv["cid"], "n": 1, "i": inv["i"], "kind": "answer", "result": 0,
                                 "charged": True, "status": 200, "token": 2, "trace": "x", "t0": inv["done_ms"] - 1}]

    out = [("a second charged request", "money", double_charge),
           ("an answer after its deadline", "deadline", late),
           ("another answer than the API gave", "shape", other_answer),
           ("an outcome without hint", "shape", schema),
           ("20 MiB more RSS at the end", "memory", rss_growth),
           ("a placeholder number in the log", "privacy", number_in_log),
           ("a summary line lost", "log", lost_summary),
           ("a rejected token not followed by the new one", "token", stale_token)]
    if p.meta["pass"] == "records":
        out.append(("a replayed key charged again", "money", key_charged_twice))
    return out


VALIDATOR = None


def main():
    global VALIDATOR
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", required=True)
    ap.add_argument("--passes", nargs="+", required=True)
    args = ap.parse_args()
    VALIDATOR = check.validator()
    failures = []
    for name in args.passes:
        original = check.Pass(args.work, name)
        baseline = check.check_pass(copy.deepcopy(original), VALIDATOR)["violations"]
        for what, promise, corrupt in corruptions(original):
            q = copy.deepcopy(original)
            corrupt(q)
            after = check.check_pass(q, VALIDATOR)["violations"]
            broken = {k for k, items in after.items() if len(items) > len(baseline.get(k, []))}
            if promise not in broken:
                failures.append(f"[{name}] {what}: broke {sorted(broken) or 'nothing'}, expected {promise}")
            else:
                print(f"[{name}] selftest: {what} breaks '{promise}'", flush=True)
    for f in failures:
        sys.stderr.write(f"SELFTEST FAILED {f}\n")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
