#!/usr/bin/env python3
"""Shows that the checks can fail: takes the raw data of each pass, corrupts a copy of it one way at a time (a retry
after a charged request, an answer after its deadline, another answer than the API gave, a schema violation, RSS
growth, a number in the log, a missing summary line, a rejected token not followed by the new one, an idempotency
key charged twice; with the daily budget: charged requests over the budget in a day, a counter above the budget or
below the charged requests, a reservation marker lost, BUDGET_EXHAUSTED with a charged request behind it or with
room left, billable false after a possibly charged request, a request without a reservation before it; with
VERIFY_RETRY_ON_TIMEOUT: more possibly charged attempts than the API saw) and requires each corruption to break the
promise it stands for: a broken item that the uncorrupted data did not have (it may break others with it: another
answer than the API gave also disagrees with the summary line). A pass whose promises are already broken is still
judged so: only what the corruption adds counts. Exits 1 otherwise.
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


def failed_with(inv, error_type, unknown=False):
    a = answer_of(inv)
    return a.failure is not None and a.failure["error"]["type"] == error_type \
        and bool(a.failure["error"].get("outcome_unknown")) == unknown


def budget_day(q):
    """The China day with the most charged requests, and those requests (none within the lead after midnight)."""
    days = {}
    for r in q.api:
        if r["charged"] and check.since_china_midnight_ms(r["t0"]) >= check.RESERVE_LEAD_MS:
            days.setdefault(check.china_day(r["t0"]), []).append(r)
    if not days:
        raise SystemExit(f"selftest: no charged request in the {q.meta['pass']} pass")
    return max(days.items(), key=lambda kv: len(kv[1]))


def counter(q, day):
    item = next((x for x in q.table if x["pk"] == "budget#" + day), None)
    if item is None:
        item = {"pk": "budget#" + day, "n": 0, "expires_at": check.day_end_s(day) + 2 * 86400}
        q.table.append(item)
    return item


def markers(q, day):
    return [x for x in q.table if check.BUDGET_MARKER.fullmatch(x["pk"]) and x["pk"].startswith(f"budget#{day}#")]


def set_count(q, day, n):
    """The day's counter at n, with as many reservation markers (the table consistent with itself)."""
    counter(q, day)["n"] = n
    have = markers(q, day)
    for x in have[n:]:
        q.table.remove(x)
    for k in range(len(have), n):
        q.table.append({"pk": f"budget#{day}#{k:032x}", "expires_at": check.day_end_s(day) + 2 * 86400})


def corruptions(p):
    """(name, promise it must break, function that corrupts a copy of p)."""
    def double_charge(q):
        # A retry after a call that was charged and answered: the first of two requests a charged answer as well.
        inv = first(q, lambda i: billable(i) and len(q.by_cid.get(i["cid"], [])) > 1)
        q.by_cid[inv["cid"]][0].update(kind="answer", status=200, result=0, charged=True)
        q.by_cid[inv["cid"]][0].pop("delayed_s", None)

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
        # A later sample 20 MiB above the last (a run of exactly the warm-up length has its last sample there).
        last = q.rss[-1]
        q.rss.append(dict(last, after=last["after"] + 1000, rss_kb=last["rss_kb"] + 20 * 1024))

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

    limit = int(p.meta.get("function_env", {}).get("VERIFY_DAILY_BUDGET", "0") or 0)

    def over_budget(q):
        # Charged requests added to the busiest day until it holds one more than the budget.
        day, rows = budget_day(q)
        for k in range(max(1, limit + 1 - len(rows))):
            q.api.append(dict(rows[-1], cid=f"selftest-over-budget-{k}", n=1, i=-1))

    def counter_above(q):
        day, _ = budget_day(q)
        set_count(q, day, limit + 1)

    def counter_below(q):
        day, rows = budget_day(q)
        set_count(q, day, len(rows) - 1)

    def marker_lost(q):
        day, _ = budget_day(q)
        have = markers(q, day)
        if have:
            q.table.remove(have[0])
        else:  # a table with no markers at all: one too many instead
            q.table.append({"pk": f"budget#{day}#{0:032x}", "expires_at": check.day_end_s(day) + 86400})

    def exhausted_after_charge(q):
        inv = first(q, lambda i: failed_with(i, "BUDGET_EXHAUSTED"))
        q.by_cid[inv["cid"]] = [{"cid": inv["cid"], "n": 1, "i": inv["i"], "kind": "answer", "result": 0,
                                 "charged": True, "status": 200, "token": 2, "trace": "x", "t0": inv["done_ms"] - 1}]

    def exhausted_with_room(q):
        inv = first(q, lambda i: failed_with(i, "BUDGET_EXHAUSTED"))
        day = check.china_day(inv["done_ms"])
        set_count(q, day, limit - 1)

    def not_billable_after_maybe(q):
        inv = first(q, lambda i: answer_of(i).outcome is not None and answer_of(i).outcome["checked_upstream"]
                    and not answer_of(i).outcome["replayed"] and not answer_of(i).outcome["billable"]
                    and len(q.by_cid.get(i["cid"], [])) == 1)
        row = q.by_cid[inv["cid"]][0]
        q.by_cid[inv["cid"]].insert(0, dict(row, n=0, kind="reset-after-read", result=None, charged=False,
                                            status="reset", trace=None))

    def unreserved(q):
        # The reservations of an invocation that called the API taken out of the store's journal.
        if not any(x.get("budget") == "reserve" for x in q.store):
            return ALREADY
        inv = first(q, lambda i: billable(i) and q.by_cid.get(i["cid"]))
        q.store = [x for x in q.store if not (x["i"] == inv["i"] and x.get("budget") == "reserve")]

    def pca_overstated(q):
        inv = first(q, lambda i: billable(i) and q.by_cid.get(i["cid"]))
        o = json.loads(inv["body"])
        o["possibly_charged_attempts"] = len(q.by_cid[inv["cid"]])
        inv["body"] = json.dumps(o, ensure_ascii=False)

    out = [("a second charged request", "money", double_charge),
           ("an answer after its deadline", "deadline", late),
           ("another answer than the API gave", "shape", other_answer),
           ("an outcome without hint", "shape", schema),
           ("20 MiB more RSS at the end", "memory", rss_growth),
           ("a placeholder number in the log", "privacy", number_in_log),
           ("a summary line lost", "log", lost_summary),
           ("a rejected token not followed by the new one", "token", stale_token)]
    if p.meta["pass"] in check.plan.STORE_PASSES:
        out.append(("a replayed key charged again", "money", key_charged_twice))
    if limit:
        out += [("charged requests over the budget in a China day", "budget", over_budget),
                ("the counter above the budget", "budget", counter_above),
                ("the counter below the charged requests", "budget", counter_below),
                ("a reservation marker lost", "budget", marker_lost),
                ("billable false after a possibly charged request", "budget", not_billable_after_maybe),
                ("a request without a reservation before it", "budget", unreserved)]
        if any(failed_with(i, "BUDGET_EXHAUSTED") for i in p.invocations):
            out += [("BUDGET_EXHAUSTED with a charged request behind it", "budget", exhausted_after_charge),
                    ("BUDGET_EXHAUSTED with room left in the day", "budget", exhausted_with_room)]
        else:
            # A pass that crossed a China midnight may never reach the budget (check.py's coverage says so in a
            # long run): there is no refusal to corrupt.
            print(f"[{p.meta['pass']}] selftest: no BUDGET_EXHAUSTED in the pass, its corruptions are not made",
                  flush=True)
    if p.meta.get("function_env", {}).get("VERIFY_RETRY_ON_TIMEOUT") == "true":
        out.append(("more possibly charged attempts than requests", "shape", pca_overstated))
    return out


VALIDATOR = None
# What a corruption returns when the raw data has nothing left for it to break: the promise must then be broken by
# the raw data itself (the check has already shown that it can fail).
ALREADY = "already"


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
            if corrupt(q) == ALREADY:
                if promise in baseline:
                    print(f"[{name}] selftest: {what}: every case is broken in the raw data already "
                          f"('{promise}')", flush=True)
                else:
                    failures.append(f"[{name}] {what}: nothing to corrupt, and '{promise}' holds")
                continue
            after = check.check_pass(q, VALIDATOR)["violations"]
            broken = {k for k, items in after.items()
                      if len(items) > len(baseline.get(k, [])) or set(items) - set(baseline.get(k, []))}
            if promise not in broken:
                failures.append(f"[{name}] {what}: broke {sorted(broken) or 'nothing'}, expected {promise}")
            else:
                print(f"[{name}] selftest: {what} breaks '{promise}'", flush=True)
    for f in failures:
        sys.stderr.write(f"SELFTEST FAILED {f}\n")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
