#!/usr/bin/env python3
"""Shows that the checks can fail: takes the raw data of each pass, corrupts a copy of it one way at a time (a retry
after a charged request, an answer after its deadline, another answer than the API gave, a schema violation, RSS
growth, a number in the log, a missing summary line, a rejected token not followed by the new one, an idempotency
key charged twice, a replay not worded in its own request's language; with the daily budget, one corruption for
each of its checks: charged requests over the budget in a day, the counter above the budget, below the requests
kept, other than the store's journal says, or higher than the store's faults explain, a request without a confirmed
reserve before it, a reserve sent again after one whose outcome was unknown, a give-back after a possibly charged
request, a give-back missing after an uncharged one, BUDGET_EXHAUSTED with a charged request behind it or without
the store's refusal, billable false after a possibly charged request, a budget item of another shape; with
VERIFY_REPEAT_POSSIBLY_CHARGED: more possibly charged attempts than the API saw) and requires each corruption to
break the promise it stands for: a broken item that the uncorrupted data did not have, and for the budget's checks one with
the check's own [tag] (it may break others with it: another answer than the API gave also disagrees with the
summary line). A pass whose promises are already broken is still judged so: only what the corruption adds counts.
Exits 1 otherwise.
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


def budget_days(p):
    """The budget's figures per China day of the uncorrupted pass, the day with the most charged requests first."""
    figures = check.check_pass(copy.deepcopy(p), VALIDATOR)["budget"]
    days = sorted(figures["days"], key=lambda d: -d["charged"])
    if not days or not days[0]["charged"]:
        raise SystemExit(f"selftest: no charged request in the {p.meta['pass']} pass")
    return days


def counter(q, day):
    item = next((x for x in q.table if x["pk"] == "budget#" + day), None)
    if item is None:
        item = {"pk": "budget#" + day, "n": 0, "expires_at": check.day_end_s(day) + 2 * 86400}
        q.table.append(item)
    return item


def requests_of(q, inv):
    return q.by_cid.get(inv["cid"], [])


def writes_of(q, inv, kind):
    return [s for s in q.store if s["i"] == inv["i"] and s.get("budget") == kind]


def charged_row(inv, t0, n=1):
    return {"cid": inv["cid"], "n": n, "i": inv["i"], "kind": "answer", "result": 0, "charged": True,
            "status": 200, "token": 2, "trace": "x", "t0": t0, "t1": t0 + 1}


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

    def replay_in_first_language(q):
        # A replay worded as the first answer was, for a repeat asked in the other language.
        firsts = {}
        for inv in q.invocations:
            o = answer_of(inv).outcome
            if inv["key"] is None or o is None:
                continue
            if not o["replayed"]:
                firsts[inv["key"]] = (inv, o)
            elif inv["key"] in firsts and firsts[inv["key"]][0]["lang"] != inv["lang"] \
                    and firsts[inv["key"]][1]["status"] == o["status"]:
                body = json.loads(inv["body"])
                holder = json.loads(body["body"]) if inv["source"] == "http-v2" else body
                holder["description"] = firsts[inv["key"]][1]["description"]
                if inv["source"] == "http-v2":
                    body["body"] = json.dumps(holder, ensure_ascii=False)
                inv["body"] = json.dumps(body, ensure_ascii=False)
                return None
        return NOTHING

    limit = int(p.meta.get("function_env", {}).get("VERIFY_DAILY_BUDGET", "0") or 0)
    days = budget_days(p) if limit else []

    def over_budget(q):
        # More charged requests than the budget, all sent under one invocation's confirmed reservation.
        inv = first(q, lambda i: any(check.confirmed(s) for s in writes_of(q, i, "reserve")) and requests_of(q, i))
        rows = q.by_cid[inv["cid"]]
        t0 = max(s["t0"] for s in writes_of(q, inv, "reserve") if check.confirmed(s)) + 0.5
        for k in range(limit + 1):
            row = charged_row(inv, t0 + k / 1000.0, n=len(rows) + 1)
            rows.append(row)
            q.api.append(row)

    def counter_above(q):
        counter(q, days[0]["day"])["n"] = limit + 1

    def counter_below(q):
        counter(q, days[0]["day"])["n"] = days[0]["kept_min"] - 1

    def journal_other(q):
        # One more reserve applied by the store than the counter shows.
        row = next(s for s in q.store if s.get("budget") == "reserve" and s["applied"])
        q.store.append(dict(row, i=-1, t0=row["t0"] + 0.5))

    def leak(q):
        d = days[0]
        counter(q, d["day"])["n"] = d["kept_max"] + d["unknown_writes"] + d["no_time"] + 1

    def unreserved(q):
        # The reserves of an invocation that called the API taken out of the store's journal.
        inv = first(q, lambda i: requests_of(q, i) and writes_of(q, i, "reserve"))
        q.store = [x for x in q.store if not (x["i"] == inv["i"] and x.get("budget") == "reserve")]

    def reserve_again(q):
        # A reserve sent again (and confirmed) after one that met a fault of the store.
        timeout_ms = check.duration_ms(q.meta["function_env"].get("VERIFY_RECORDS_TIMEOUT", "500ms"))
        row = next((s for s in q.store
                    if s.get("budget") == "reserve" and check.counter_write_unknown(s, timeout_ms)), None)
        if row is None:
            return NOTHING
        q.store.append(dict(row, mode="pass", status=200, store_status=200, applied=True, body=None,
                            t0=row["t1"] + 1, t1=row["t1"] + 2))

    def given_back_after_maybe(q):
        # A give-back after a request that had to be taken as possibly charged.
        inv = first(q, lambda i: any(check.maybe_charged(r)[0] for r in requests_of(q, i))
                    and writes_of(q, i, "reserve"))
        r = next(r for r in requests_of(q, inv) if check.maybe_charged(r)[0])
        model = next(s for s in q.store if s.get("budget") == "give-back")
        q.store.append(dict(model, i=inv["i"], counter=writes_of(q, inv, "reserve")[0]["counter"],
                            t0=r["t0"] + 0.5, t1=r["t0"] + 1))

    def give_back_lost(q):
        # The give-back after a request that surely was not charged, with time left, taken out of the journal.
        def fits(inv):
            rows = requests_of(q, inv)
            gives = writes_of(q, inv, "give-back")
            return len(rows) == 1 and not rows[0]["charged"] and not check.maybe_charged(rows[0])[1] \
                and len(gives) == 1 and gives[0]["mode"] == "pass" and inv["deadline_ms"] - rows[0]["t1"] > 2000
        inv = first(q, fits)
        q.store = [x for x in q.store if not (x["i"] == inv["i"] and x.get("budget") == "give-back")]

    def exhausted_after_charge(q):
        inv = first(q, lambda i: failed_with(i, "BUDGET_EXHAUSTED"))
        refused = writes_of(q, inv, "reserve")
        t0 = (refused[-1]["t0"] if refused else inv["done_ms"]) - 1
        q.by_cid[inv["cid"]] = [charged_row(inv, t0)]

    def exhausted_without_refusal(q):
        # The store's refusal behind a BUDGET_EXHAUSTED turned into a reserve it applied.
        inv = first(q, lambda i: failed_with(i, "BUDGET_EXHAUSTED") and writes_of(q, i, "reserve"))
        writes_of(q, inv, "reserve")[-1].update(store_status=200, status=200, applied=True, n_after=limit)

    def not_billable_after_maybe(q):
        inv = first(q, lambda i: answer_of(i).outcome is not None and answer_of(i).outcome["checked_upstream"]
                    and not answer_of(i).outcome["replayed"] and not answer_of(i).outcome["billable"]
                    and len(q.by_cid.get(i["cid"], [])) == 1)
        row = q.by_cid[inv["cid"]][0]
        q.by_cid[inv["cid"]].insert(0, dict(row, n=0, kind="reset-after-read", result=None, charged=False,
                                            status="reset", trace=None))

    def item_of_another_shape(q):
        day = days[0]["day"]
        q.table.append({"pk": f"budget#{day}#{0:032x}", "expires_at": check.day_end_s(day) + 86400})

    def pca_overstated(q):
        inv = first(q, lambda i: billable(i) and q.by_cid.get(i["cid"]))
        o = json.loads(inv["body"])
        o["possibly_charged_attempts"] = len(q.by_cid[inv["cid"]])
        inv["body"] = json.dumps(o, ensure_ascii=False)

    out = [("a second charged request", "money", None, double_charge),
           ("an answer after its deadline", "deadline", None, late),
           ("another answer than the API gave", "shape", None, other_answer),
           ("an outcome without hint", "shape", None, schema),
           ("20 MiB more RSS at the end", "memory", None, rss_growth),
           ("a placeholder number in the log", "privacy", None, number_in_log),
           ("a summary line lost", "log", None, lost_summary),
           ("a rejected token not followed by the new one", "token", None, stale_token)]
    if p.meta["pass"] in check.plan.STORE_PASSES:
        out.append(("a replayed key charged again", "money", None, key_charged_twice))
        out.append(("a replay worded in the first request's language", "shape", None, replay_in_first_language))
    if limit:
        out += [("charged requests over the budget in a China day", "budget", "spend", over_budget),
                ("the counter above the budget", "budget", "counter-limit", counter_above),
                ("the counter below the requests kept", "budget", "counter-low", counter_below),
                ("a reserve the store applied that the counter does not show", "budget", "journal", journal_other),
                ("the counter higher than the store's faults explain", "budget", "leak", leak),
                ("a request without a reserve before it", "budget", "reserve-first", unreserved),
                ("a reserve sent again after one whose outcome was unknown", "budget", "sent-again", reserve_again),
                ("a give-back after a possibly charged request", "budget", "kept", given_back_after_maybe),
                ("no give-back after an uncharged request", "budget", "give-back", give_back_lost),
                ("billable false after a possibly charged request", "budget", "billable", not_billable_after_maybe),
                ("a budget item of another shape", "budget", "items", item_of_another_shape)]
        if any(failed_with(i, "BUDGET_EXHAUSTED") for i in p.invocations):
            out += [("BUDGET_EXHAUSTED with a charged request behind it", "budget", "exhausted",
                     exhausted_after_charge),
                    ("BUDGET_EXHAUSTED without the store's refusal", "budget", "exhausted",
                     exhausted_without_refusal)]
        else:
            # A pass that crossed a China midnight may never reach the budget (check.py's coverage says so in a
            # long run): there is no refusal to corrupt.
            print(f"[{p.meta['pass']}] selftest: no BUDGET_EXHAUSTED in the pass, its corruptions are not made",
                  flush=True)
    if check.repeats_possibly_charged(p.meta.get("function_env", {})):
        out.append(("more possibly charged attempts than requests", "shape", None, pca_overstated))
    return out


VALIDATOR = None
# What a corruption returns when the pass holds no case for it (a run too short to meet the fault it needs; check.py's
# coverage requires every fault in runs of COVERAGE_FROM invocations).
NOTHING = "nothing"


def new_items(after, baseline, promise, tag):
    """The items of a promise that the corruption added; with a tag, only the items of that check."""
    def of(items):
        return [x for x in items if tag is None or x.startswith(f"[{tag}]")]
    before, now = of(baseline.get(promise, [])), of(after.get(promise, []))
    return len(now) > len(before) or bool(set(now) - set(before))


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
        for what, promise, tag, corrupt in corruptions(original):
            q = copy.deepcopy(original)
            if corrupt(q) == NOTHING:
                if original.meta["invocations"] >= check.COVERAGE_FROM:
                    failures.append(f"[{name}] {what}: no case to corrupt in the pass")
                else:
                    print(f"[{name}] selftest: {what}: no case in a pass this short, not made", flush=True)
                continue
            after = check.check_pass(q, VALIDATOR)["violations"]
            label = promise + (f" [{tag}]" if tag else "")
            if not new_items(after, baseline, promise, tag):
                broken = sorted(k for k in after if new_items(after, baseline, k, None))
                failures.append(f"[{name}] {what}: broke {broken or 'nothing'}, expected {label}")
            else:
                print(f"[{name}] selftest: {what} breaks '{label}'", flush=True)
    for f in failures:
        sys.stderr.write(f"SELFTEST FAILED {f}\n")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
