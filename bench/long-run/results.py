"""Writes bench/results/long-run.md from check.py's figures of each pass."""

import datetime
import os
import sys

import plan

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cold-start"))
from report import java_version, machine  # noqa: E402  the cold-start benchmark's machine and JDK description

PASS_TITLES = {"plain": "Pass 1: without the records store",
               "records": "Pass 2: records store on (idempotency keys, daily budget, moto's DynamoDB behind the proxy)",
               "retry": "Pass 3: as pass 2, with VERIFY_REPEAT_POSSIBLY_CHARGED=true"}
PROMISES = [
    ("money", "no double charge: one charged request per charged answer, none behind other answers or failures "
              "that do not say outcome_unknown, at most one per idempotency key; with "
              "VERIFY_REPEAT_POSSIBLY_CHARGED, none after a charged answer the function had read"),
    ("budget", "per China day: charged requests at most the budget; the counter at most the budget, at least the "
               "requests that were or had to be taken as possibly charged, equal to the store's applied reserves minus "
               "give-backs, and above what was or may have been charged by no more than the counter writes with an "
               "outcome the function could not know; a confirmed reserve before every request, none sent again (and no "
               "request) after one with an unknown outcome; reservations kept after possibly charged requests, given "
               "back after uncharged ones; BUDGET_EXHAUSTED only on the store's refusal, nothing possibly charged "
               "behind it unless outcome_unknown, Retry-After to midnight; billable whenever something was or may "
               "have been charged"),
    ("deadline", "every answer before the event's deadline"),
    ("shape", "every answer in the published shape and consistent with what the fakes did"),
    ("token", "the rotated token picked up, never UPSTREAM_AUTH"),
    ("memory", "no RSS growth after warm-up beyond the tolerance"),
    ("log", "one summary line and one EMF object per invocation, saying what the caller was told; their attempts "
            "the requests the API received"),
    ("privacy", "no placeholder name, number, token or hash key in the function's log"),
    ("coverage", "every fault and phase of the plan met at least once"),
    ("run", "the pass finished, the fakes saw only expected requests"),
]


def ms(x):
    return "—" if x is None else f"{x:.1f}"


def mib(kb):
    return "—" if kb is None else f"{kb / 1024:.1f}"


def write(results, args, root):
    load_start = _read(os.path.join(args.work, "load-start"))
    load_end = _read(os.path.join(args.work, "load-end"))
    started = _read(os.path.join(args.work, "started"))
    m = machine()
    lines = ["# Long run under faults", "",
             f"`bench/long-run/run.sh --invocations {results[0]['invocations']} --seed {results[0]['seed']}`, "
             f"started {started or '?'}; written {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%dT%H:%M:%SZ}.",
             "",
             f"Machine: {m['nproc']} cores, {m['memory']}, {m['arch']}, {m['cpu']}, Linux {m['kernel']}; shared with "
             f"other builds (load average {load_start or '?'} at the start, {load_end or '?'} at the end). "
             "Latencies are this machine's under that load, not Lambda's; counts do not depend on it.", "",
             "Java running the function: " + "; ".join(java_version(args.java)) + ".", "",
             f"JVM flags: `{args.jvm_flags}`; `JAVA_TOOL_OPTIONS={args.tool_options}` (template.yaml's).", "",
             "Each pass is one execution environment from its cold start to its last event, with no restart: a "
             "long-lived environment is where leaks and state that outlives invocations (the circuit, the cached "
             "token, the connection pool) show; cold starts are the cold-start benchmark's.", ""]
    lines += ["## Verdict", "", "| promise | " + " | ".join(r["pass"] for r in results) + " |",
              "|---|" + "---|" * len(results)]
    for key, text in PROMISES:
        cells = []
        for r in results:
            broken = r["violations"].get(key, [])
            if key == "budget" and r.get("budget") is None and not broken:
                cells.append("—")
                continue
            cells.append(f"**FAIL** ({len(broken)})" if broken else "pass")
        lines.append(f"| {text} | " + " | ".join(cells) + " |")
    lines.append("")
    for r in results:
        lines += _pass_section(r)
    lines += _settings_section(results)
    lines += _plan_section(results)
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")


def _read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def _pass_section(r):
    ou = r["outcome_unknown"]
    lines = [f"## {PASS_TITLES.get(r['pass'], r['pass'])}", "",
             f"{r['invocations']} invocations in {r['run_s'] or 0:.0f} s (init {r['init_s'] or 0:.1f} s), one "
             f"execution environment; {r['api_requests']} requests at the API fake, "
             f"{sum(r['secrets'].values())} at Secrets Manager"
             + (f", {sum(r['store'].values())} requests at the records store" if r["store"] else "") + ".", "",
             "**Money, from the API fake's journal.** "
             f"{r['charged_answers']} charged answers (billable), "
             + ("with VERIFY_REPEAT_POSSIBLY_CHARGED=true (a charged answer may have possibly charged requests "
                "before it): "
                if r.get("retry_on_timeout") else "each with exactly one charged request: ")
             + f"{r['requests_of_charged_answers']} API requests for them in all "
             f"({r['requests_of_charged_answers'] / max(1, r['charged_answers']):.3f} per charged answer, retries "
             f"of uncharged refusals included); {r['charged_requests']} charged requests in the journal. "
             f"{ou['invocations']} invocations ended outcome_unknown: {ou['requests']} requests, {ou['charged']} of "
             f"them charged (the API billed work whose answer never arrived), {ou['no_request']} with no request "
             "(a repeat of a key whose first call may have been charged). "
             f"Double charges: {len(r['violations'].get('money', []))}.", "",
             "| answer or failure | invocations | API requests | charged requests |", "|---|---|---|---|"]
    for label, (count, requests, charged) in sorted(r["money_by_type"].items(), key=lambda kv: -kv[1][0]):
        lines.append(f"| {label} | {count} | {requests} | {charged} |")
    lines.append("")
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(r["api_by_kind"].items(), key=lambda kv: -kv[1]))
    lines += [f"Requests the API fake received, by what it did: {kinds}. Attempts refused at connect while the "
              f"port was closed (the summary lines' attempts beyond the requests received): "
              f"{r['refused_attempts']}. Rejected tokens (401) after the rotation: "
              f"{r['token_rejections']}. Secrets Manager calls: "
              + ", ".join(f"{k} {n}" for k, n in sorted(r["secrets"].items())) + ".", ""]
    pca = r.get("possibly_charged_answers") or {}
    if r.get("retry_on_timeout"):
        lines += [f"**Answers after possibly charged attempts.** {r.get('answered_after_maybe', 0)} answers from "
                  "the API had a request before the last that may have been charged; outcomes by "
                  "possibly_charged_attempts: " + ", ".join(f"{k}: {c}" for k, c in pca.items()) + ".", ""]
    if r.get("outcomes_without_pca"):
        lines += [f"{r['outcomes_without_pca']} outcomes carry no possibly_charged_attempts.", ""]
    if r.get("budget"):
        lines += _budget_lines(r["budget"])
    if r.get("store_faults"):
        lines += _store_fault_lines(r["store_faults"])
    if r["store"]:
        keys = r["keys"]
        repeats = ", ".join(f"{k[len('repeat: '):]} {n}" for k, n in sorted(keys.items(), key=lambda kv: -kv[1])
                            if k.startswith("repeat: "))
        lines += [f"**Idempotency keys.** {keys.get('keys', 0)} keys, {keys.get('repeats', 0)} repeats; "
                  f"{keys.get('replayed', 0)} answers replayed. What the repeats got: {repeats}. "
                  f"Keys refused as possibly charged although none of their invocations reached the API: "
                  f"{keys.get('outcome unknown, never sent', 0)} (a claim written but neither confirmed nor released in "
                  "time, or a settle lost after an uncharged end: the lock runs out and the key can only refuse). "
                  "Store requests by what the proxy did: "
                  + ", ".join(f"{k} {n}" for k, n in sorted(r["store"].items()))
                  + f"; {r['store_delayed_past_timeout']} replies held back longer than VERIFY_RECORDS_TIMEOUT, "
                  f"{r['store_client_gone']} of them after the function had gone.", ""]
    d = r["deadline"]
    ends = ", ".join(f"{k} {n}" for k, n in sorted(r["short_deadline_ends"].items(), key=lambda kv: -kv[1]))
    lines += [f"**Deadlines.** Latest answer relative to its deadline: {ms(d['max_overshoot_ms'])} ms "
              f"(negative: before it); {d['short_deadlines']} events with a 1.5–3 s deadline, the closest answered "
              f"{ms(d['min_slack_short_ms'])} ms before it. Short-deadline invocations that met a fault or failed "
              f"ended: {ends or 'none'}. Retryable refusals returned before the last attempt because the next wait "
              f"and attempt did not fit: {r['gave_up']['short']} with a short deadline, {r['gave_up']['template']} "
              f"with 10 s (a 429's Retry-After of 1 s, say); UPSTREAM_TIMEOUT with no time left for any attempt: "
              f"{r['no_time_left']['short']} with a short deadline, {r['no_time_left']['template']} with 10 s. "
              f"Requests sent with less than one attempt timeout left before the deadline's margin (the attempt "
              f"bounded by the deadline): {r['capped'].get('requests', 0)}, "
              f"{r['capped'].get('cut at the deadline', 0)} of them cut off there (UPSTREAM_TIMEOUT).", ""]
    mem = r["memory"]
    samples = ", ".join(f"{s['after']}: {mib(s['rss_kb'])}" for s in mem["samples"])
    if "growth_kb" in mem:
        lines += [f"**Memory** (VmRSS in MiB after so many invocations): {samples}. After warm-up ({mem['warmup']}): "
                  f"{mib(mem['base_kb'])} → {mib(mem['last_kb'])} MiB at the end ({mem['growth_kb'] / 1024:+.1f} MiB; "
                  f"tolerance {mem['tolerance_mib']:.0f} MiB); highest sample after warm-up "
                  f"{mib(mem['max_after_warmup_kb'])} MiB; peak (VmHWM) {mib(mem['max_hwm_kb'])} MiB.", ""]
    else:
        lines += [f"**Memory** (VmRSS in MiB): {samples}. {mem.get('note', '')}", ""]
    gc = mem.get("gc")
    if gc:
        lines[-2] += (f" Java heap after each collection ({gc['collections']} collections, {gc['full']} full): "
                      f"{gc['after_warmup_mib']} MiB at the first after warm-up, {gc['last_mib']} MiB at the last, "
                      f"at most {gc['max_mib']} MiB in between.")
    lines += ["**Latency by block** (ms, handed out → answer posted; clean: one request answered at once, no "
              "idempotency key, outside the windows):", "",
              "| invocations | all: n | p50 | p99 | clean: n | p50 | p99 |", "|---|---|---|---|---|---|---|"]
    for b in r["latency_blocks"]:
        lines.append(f"| {b['block'] * 2000}–{b['block'] * 2000 + b['n'] - 1} | {b['n']} | {ms(b['p50'])} | "
                     f"{ms(b['p99'])} | {b['clean_n']} | {ms(b['clean_p50'])} | {ms(b['clean_p99'])} |")
    lines += ["", "**Latency by what the invocation met** (ms):", "", "| met | n | p50 | p99 | max |",
              "|---|---|---|---|---|"]
    for k, x in r["latency_by"].items():
        lines.append(f"| {k} | {x['n']} | {ms(x['p50'])} | {ms(x['p99'])} | {ms(x['max'])} |")
    lines.append("")
    if r["coverage"]["missing"]:
        lines += [("Never met: " if r["coverage"]["judged"] else "Never met (not judged in a run this short): ")
                  + ", ".join(r["coverage"]["missing"]) + ".", ""]
    broken = r["violations"]
    if broken:
        lines += ["**Broken promises** (first ten of each):", ""]
        for key, items in broken.items():
            lines += [f"- {key} ({len(items)}):"] + [f"  - {x}" for x in items[:10]]
        lines.append("")
    return lines


def _budget_lines(b):
    lines = [f"**Daily budget** (VERIFY_DAILY_BUDGET = {b['limit']}, plan.daily_budget; one counter per China day, "
             "written by a reserve that adds one below the budget and a give-back that takes one back, never sent "
             f"again after an ending that may have applied them). {b['exhausted']} BUDGET_EXHAUSTED answers, "
             f"{b['exhausted_outcome_unknown']} of them outcome_unknown (an earlier attempt may have been charged), "
             f"{b['exhausted_after_requests']} with requests at the API behind them; {b['unreserved_requests']} "
             "requests at the API without a reserve the store confirmed before them. Per China day (the day of the "
             "counter each request was reserved on), from the API fake's and the store proxy's journals and the "
             "table at the end of the pass; kept at least: requests charged or that had to be taken as possibly "
             "charged; kept at most: charged or may have been taken so; unknown: counter writes whose outcome the "
             "function could not know (a fault of the proxy, no reply in time), each of which can leave one unit "
             "behind:", "",
             "| China day | counter n | charged requests | kept at least | kept at most | n − kept at most | "
             "reserves: sent / applied / unknown (applied) | give-backs: sent / applied / unknown (applied) | "
             "give-backs with no time left | BUDGET_EXHAUSTED | first refused at invocation |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for d in b["days"]:
        first = "—" if d["first_exhausted_at"] is None else f"#{d['first_exhausted_at']}"
        lines.append(f"| {d['day']} | {d['n']} | {d['charged']} | {d['kept_min']} | {d['kept_max']} | "
                     f"{d['n'] - d['kept_max']} | {d['reserves']} / {d['reserves_applied']} / "
                     f"{d['unknown_reserves']} ({d['unknown_reserves_applied']}) | {d['give_backs']} / "
                     f"{d['give_backs_applied']} / {d['unknown_give_backs']} ({d['unknown_give_backs_applied']}) | "
                     f"{d['no_time']} | {d['exhausted']} | {first} |")
    lines.append("")
    return lines


def _store_fault_lines(faults):
    lines = ["**The store's faults** (requests the proxy treated so; the invocations that met one, how they ended, "
             "and the money, deadline and budget promises broken in them):", "",
             "| fault | requests | operations | applied by the store | sent to the function | invocations | "
             "how they ended | broken there |", "|---|---|---|---|---|---|---|---|"]
    for mode, f in faults.items():
        ops = ", ".join(f"{k} {n}" for k, n in sorted(f["ops"].items(), key=lambda kv: -kv[1]))
        sent = ", ".join(f"{k} {n}" for k, n in sorted(f["sent"].items()))
        ends = ", ".join(f"{k} {n}" for k, n in sorted(f["ends"].items(), key=lambda kv: -kv[1])[:8])
        broken = ", ".join(f"{k} {n}" for k, n in sorted(f["broken"].items())) or "none"
        lines.append(f"| {mode} | {f['requests']} | {ops or '—'} | {f['applied']} | {sent or '—'} | "
                     f"{f['invocations']} | {ends or '—'} | {broken} |")
    lines.append("")
    return lines


# Why each setting of the run differs from (or keeps) the function's default.
SETTINGS = [
    ("VERIFY_ATTEMPT_TIMEOUT", "3s", "a slow answer (1.3 s) costs one attempt timeout; 1 s keeps 20,000 "
                                     "invocations within minutes"),
    ("VERIFY_MIN_ATTEMPT_TIME", "1s", "in proportion to the shorter attempt timeout; with a 1.5 s deadline and the "
                                      "0.5 s margin it leaves room for one attempt, not two"),
    ("VERIFY_CONNECT_TIMEOUT", "1s", "a refused connection fails at once either way"),
    ("VERIFY_DEADLINE_MARGIN", "500ms", "the default"),
    ("VERIFY_MAX_ATTEMPTS", "3", "the default"),
    ("VERIFY_RETRY_BASE_DELAY", "200ms", "backoff in proportion to the shorter attempts"),
    ("VERIFY_RETRY_MAX_DELAY", "2s", "same"),
    ("VERIFY_CIRCUIT_DELAY", "10s", "an open circuit answers in a millisecond: 10 s of it would fail thousands of "
                                    "invocations after each burst without exercising anything"),
    ("VERIFY_TOKEN_CACHE_TTL", "300s", "the token is read again every 5 s, so the throttling bursts meet it"),
    ("VERIFY_TOKEN_STALE_LIMIT", "1h", "an 18 s burst outlasts cache and stale limit: SECRETS_UNAVAILABLE is met"),
    ("VERIFY_SECRET_TIMEOUT", "1s", "the default"),
    ("VERIFY_RECORDS_TIMEOUT", "500ms", "the default; the slow store holds replies back 0.1-0.9 s"),
    ("VERIFY_CALLER_DAILY_BUDGET", "100", "off: every invocation is direct, which no per-caller budget counts; set "
                                          "to 0 so that the pass measures the budget of all alone"),
]
# Settings that differ between the passes, shown per pass.
PASS_SETTINGS = [
    ("VERIFY_DAILY_BUDGET", "1000", "off (0) in the plain pass, whose 20,000 invocations are twenty days of the "
                                    "default; passes with the store: sized by plan.daily_budget to run out in the "
                                    "last part of the pass (see the plan below)"),
    ("VERIFY_REPEAT_POSSIBLY_CHARGED", "false", "pass 3 only: possibly charged requests are repeated there"),
]


def _settings_section(results):
    lines = ["## Settings", "",
             "Every event's deadline is the template's 10 s timeout, except a tenth drawn between 1.5 and 3 s (and "
             "those of the brownout, below). The function runs with:", "", "| variable | run | default | why |", "|---|---|---|---|"]
    env = results[0].get("function_env", {})
    for name, default, why in SETTINGS:
        lines.append(f"| `{name}` | `{env.get(name, '?')}` | `{default}` | {why} |")
    for name, default, why in PASS_SETTINGS:
        values = ", ".join(f"{r['pass']} `{r.get('function_env', {}).get(name, default)}`" for r in results)
        lines.append(f"| `{name}` | {values} | `{default}` | {why} |")
    lines.append("")
    return lines


def _plan_section(results):
    lines = ["## The plan", "",
             "Per request outside the windows, the API fake draws (seeded by the correlation id and the request's "
             "number) one of:", "", "| what the API fake does | share |", "|---|---|"]
    for kind, w in plan.API_MIX:
        lines.append(f"| {kind} | {w / 100:.2f} % |")
    answers = ", ".join(f"{code}: {w} %" for code, w in plan.ANSWERS)
    lines += ["", f"Answers (and the answer the engine computed behind the faults after which it ran): {answers}. "
              f"A slow answer comes {plan.SLOW_S} s late, a slowish one {plan.SLOWISH_S[0]}–{plan.SLOWISH_S[1]} s.", "",
              "Windows (by invocation number; phases change between invocations, while nothing is in flight):", ""]
    w = results[0]["windows"]

    def spans(name):
        return ", ".join(f"{a}–{b - 1}" for a, b in w[name])
    lines += [f"- every request answered 503: {spans('api-503-burst')};",
              f"- a brownout: every request handled {plan.BROWNOUT_S[0]}–{plan.BROWNOUT_S[1]} s late, "
              f"{plan.BROWNOUT_503_SHARE:.0%} of them then refused with 503, every event with a "
              f"{plan.BROWNOUT_DEADLINE_MS[0] / 1000:g}–{plan.BROWNOUT_DEADLINE_MS[1] / 1000:g} s deadline: "
              f"{spans('api-brownout')};",
              f"- the API's port closed (connections refused, open ones shut): {spans('api-refused')};",
              "- Secrets Manager throttling every call (400 ThrottlingException) from invocation "
              + ", ".join(f"{a} for {s:g} s" for a, s in w["sm-throttled"]) + ";",
              f"- the token rotated at invocation {w['token-rotation']}: the secret returns the new token, the API "
              "answers 401 invalid_token to the old one;",
              f"- passes with the store only: the store's replies held back 0.1–0.9 s (the writes applied) "
              f"{spans('store-slow')}; its port closed {spans('store-down')}; connections accepted and never answered "
              f"{spans('store-blackhole')};",
              f"- passes with the store only, {plan.STORE_FAULT_SHARE:.0%} of the requests at the store (drawn per "
              "request), the others passed: the request applied and the function answered DynamoDB's 500 "
              f"InternalServerError {spans('store-apply-then-500')}; applied and answered 200 with an empty body or "
              f"an HTML page {spans('store-apply-then-bad-200')}; not forwarded and answered 200 with an empty body "
              f"{spans('store-bad-200-not-applied')}.", "",
              f"Daily budget (passes with the store): the reservations the first {plan.BUDGET_AT:.0%} of the pass's "
              "events would keep by the plan's own draws: events that pass the pre-check, are not a repeat of an "
              "idempotency key and fall outside the closed-port and 503 windows, counted when the draw of their "
              "first request (or of the second, after a refusal that is retried) charges or leaves no usable reply. "
              "What the plan does not draw (an open circuit, a refused reservation, a unit the counter keeps after a "
              "store fault) moves the point where it is reached; the tables above say where it was.", "",
              f"Events: {plan.HTTP_SHARE:.0%} API Gateway v2, the rest direct; placeholder names and generated "
              "numbers (some typed +86 with hyphens, 0086 or in full-width digits); 1 % invalid names, 1 % invalid "
              "numbers, 0.5 % requests without a number, a few wrong routes and methods; every invocation its own "
              f"correlation id. Passes with the store: {plan.KEYED_SHARE:.0%} of the events carry an idempotency key, "
              f"{plan.KEY_REPEAT_SHARE:.0%} of those an earlier key again for the same person (typed differently), "
              f"{plan.KEY_OTHER_PERSON_SHARE:.0%} for another person.", ""]
    return lines
