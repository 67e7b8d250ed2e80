#!/usr/bin/env python3
"""Judges the passes of a long run (driver.py's raw data) and writes bench/results/long-run.md (results.py).

Counts come from the fakes' journals; the function's answers are what is judged against them. Exits 1 when a
promise is broken, listing every broken one:

  money      an invocation with two charged requests, or a request after one that may have been charged (its
             reply unusable) unless VERIFY_REPEAT_POSSIBLY_CHARGED=true; with it, a request after a charged answer the
             function had read; a charged answer (0, 1) whose last request was not charged; a charged request
             behind an answer that is not billable, or behind a failure that does not say outcome_unknown; an
             idempotency key with two charged requests over its repeats (with
             VERIFY_REPEAT_POSSIBLY_CHARGED=true: a request for it after a charged answer that was read), or answered twice without replay (a replay with other
             facts than the first answer's, or not worded in its own request's language, breaks shape). The store's
             faults (slow, down, black hole, a 500 or a bad 200 after the write was applied, a bad 200 instead of
             it) are met inside these promises: they are judged on every invocation, and the report counts how the
             invocations that met each fault ended.
  budget     (passes with VERIFY_DAILY_BUDGET = N; the budget is one counter item per China day, pk budget#DAY with
             a number n, written only by a reserve, an UpdateItem that adds one below N, and a give-back, one that
             takes one back above zero; each item below starts with its [tag]):
             [spend] more charged requests in a China day (the day of the reservation each was sent under) than N,
             or over all days than N a day; [counter-limit] n above N at the end, or a count above N in any reply of
             the store to a counter write; [counter-low] n below the requests that were charged or had to be taken
             as possibly charged; [journal] n other than the reserves the store applied minus the give-backs it
             applied (from the store proxy's journal), or a request to a budget item that is neither; [leak] n
             above the requests that were or may have been charged by more than the counter writes whose outcome
             the function could not know plus the give-backs for which no time was left; [reserve-first] a request
             at the API with fewer reserves the store confirmed before it in its invocation than requests up to it;
             [sent-again] after a reserve whose outcome the function could not know (the proxy's 500 or bad 200, no
             reply, or the store's reply held back past the records timeout), another reserve or a request at the
             API in that invocation, or an end other than RECORDS_UNAVAILABLE; two give-backs for one reservation;
             [kept] a give-back after a request that was or had to be taken as possibly charged; [give-back] no
             give-back after a request that surely was not charged (or a reservation under which no request was
             made) with time left for it, or a give-back with no reservation; [exhausted] BUDGET_EXHAUSTED after a
             request that was or may have been charged without outcome_unknown, without a reserve the store refused
             as its invocation's last counter write, or with a retry_after_seconds that does not end at midnight in
             China, or a reserve with another limit than N; [billable] an answer that says billable false with a
             charged or possibly charged request behind it; [items] a budget item of another shape, or one that
             expires before its day ends.
  deadline   an answer posted after the event's Lambda-Runtime-Deadline-Ms
  shape      an answer that fails the published JSON Schema, or the HTTP status, Retry-After, X-Request-Id,
             exception class, request or correlation id, masked number, attempts, possibly_charged_attempts,
             billable or trace id it should carry; an answer that does not follow from what the fakes did (e.g.
             RATE_LIMITED with no 429 behind it)
  token      UPSTREAM_AUTH after the rotation, or a rejected token not followed by the new one
  memory     VmRSS at the last sample more than --rss-tolerance-mib above the sample after --warmup invocations
  log        not exactly one summary line and one EMF object per invocation, or one that says another status,
             billable, replayed or outcome_unknown than the caller was told, or counts other attempts than the
             requests the API received
  privacy    a placeholder name, number, the token or the hash key in the function's log
  coverage   (runs of 10,000 invocations or more) a fault or phase of the plan that never happened: every fault of
             the API's mix, every window, each of the store's faults at the wire (a request that met it), and in
             the passes with the store a replayed answer, RECORDS_UNAVAILABLE, BUDGET_EXHAUSTED (unless the pass
             crossed a China midnight: the count starts again there and may not reach the budget) and, with
             VERIFY_REPEAT_POSSIBLY_CHARGED=true, an answer from the API after a request that may have been charged
  run        a request the fakes did not expect, or a pass that did not finish
"""

import argparse
import collections
import datetime
import json
import os
import re
import sys

import plan
import fakes

OUTPUT = "cloud.phonematch.verify.output."
# ErrorType's table: HTTP status, retryable, exception class a direct caller receives.
ERROR_TYPES = {
    "INVALID_REQUEST": (400, False, "InvalidRequestException"),
    "NOT_FOUND": (404, False, "InvalidRequestException"),
    "METHOD_NOT_ALLOWED": (405, False, "InvalidRequestException"),
    "IDEMPOTENCY_KEY_REUSED": (422, False, "InvalidRequestException"),
    "IN_PROGRESS": (409, True, "RequestInProgressException"),
    "ENGINE_ERROR": (502, True, "EngineErrorException"),
    "RATE_LIMITED": (429, True, "RateLimitedException"),
    "BUDGET_EXHAUSTED": (429, False, "BudgetExhaustedException"),
    "QUOTA_EXHAUSTED": (503, False, "QuotaExhaustedException"),
    "UPSTREAM_AUTH": (502, False, "UpstreamAuthException"),
    "UPSTREAM_UNAVAILABLE": (503, True, "UpstreamUnavailableException"),
    "UPSTREAM_TIMEOUT": (504, True, "UpstreamTimeoutException"),
    "UPSTREAM_CONTRACT": (502, False, "UpstreamContractException"),
    "SECRETS_UNAVAILABLE": (503, True, "SecretsUnavailableException"),
    "RECORDS_UNAVAILABLE": (503, True, "RecordsUnavailableException"),
    "CONFIGURATION": (500, False, "ConfigurationException"),
}
# What a replay gives back from the first answer as it was; its words (description, hint, carrier) are the repeating
# request's language's.
REPLAYED_FACTS = ("status", "result_code", "mobile", "match", "upstream_trace_id")
RESULT_STATUS = {0: "CONSISTENT", 1: "INCONSISTENT", -1: "NO_RECORD", -4: "INVALID_NAME", -5: "INVALID_MOBILE",
                 -6: "DAILY_LIMIT_EXCEEDED"}
RETRY_AFTER = {"429-retry-after-0": 0, "429-retry-after-1": 1, "429-retry-after-60": 60, "429-no-retry-after": 1}
# What an invocation may end with when its last request met this fault, as (type, outcome_unknown). Besides these,
# after a fault that may be retried: "no time left" (UPSTREAM_TIMEOUT) and an open circuit on the next attempt.
AFTER_FAULT = {
    "engine-error": {("ENGINE_ERROR", False)},
    "429": {("RATE_LIMITED", False)},
    "500": {("UPSTREAM_UNAVAILABLE", False)},
    "503": {("UPSTREAM_UNAVAILABLE", False)},
    "slow-503": {("UPSTREAM_UNAVAILABLE", False), ("UPSTREAM_TIMEOUT", True)},
    "502": {("UPSTREAM_UNAVAILABLE", True)},
    "504": {("UPSTREAM_TIMEOUT", True)},
    "reset-before-read": {("UPSTREAM_UNAVAILABLE", True)},
    "reset-after-read": {("UPSTREAM_UNAVAILABLE", True)},
    "slow": {("UPSTREAM_TIMEOUT", True)},
    "slowish": {("UPSTREAM_TIMEOUT", True)},
    "malformed": {("UPSTREAM_CONTRACT", True)},
    "unknown-code": {("UPSTREAM_CONTRACT", True)},
    "invalid-token": {("SECRETS_UNAVAILABLE", False)},
}
RETRIED_FAULTS = {"engine-error", "429", "500", "503", "slow-503"}
# The refusals of a later attempt's reservation (the budget's, with VERIFY_DAILY_BUDGET): the budget is spent, or
# the store could not take the reservation.
RESERVATION_REFUSALS = {"BUDGET_EXHAUSTED", "RECORDS_UNAVAILABLE"}
# China Standard Time: the API bills by the day there. Asia/Shanghai has kept UTC+8 without summer time since 1991.
CHINA = datetime.timezone(datetime.timedelta(hours=8))
# The day's budget counter (DailyBudgetSpendGuard): its only item.
BUDGET_COUNTER = re.compile(r"budget#(\d{4}-\d{2}-\d{2})")
# The function's own bounds on a give-back (Deadline.ANSWER_RESERVE: it may run until this long before Lambda's
# timeout; DynamoDbRecordStore.MIN_CALL: no call to the store started with less left), and the slack allowed for a
# connection the proxy accepted a little after the function sent its request.
ANSWER_RESERVE_MS = 200
GIVE_BACK_MIN_MS = 100
COUNTER_SLACK_MS = 50
# Refusals that need no call (the records, the token, the request itself); an open circuit; no time left.
# Runs this long must meet every fault of the plan (shorter ones are tries, and say what they missed).
COVERAGE_FROM = 10_000
NO_CALL = {("INVALID_REQUEST", False), ("NOT_FOUND", False), ("METHOD_NOT_ALLOWED", False),
           ("IDEMPOTENCY_KEY_REUSED", False), ("IN_PROGRESS", False), ("RECORDS_UNAVAILABLE", False),
           ("SECRETS_UNAVAILABLE", False), ("UPSTREAM_TIMEOUT", False)}



def repeats_possibly_charged(env):
    """Whether the function ran with possibly charged requests repeated: the setting under its name, or its old one
    (VERIFY_RETRY_ON_TIMEOUT, still read by the function) in the journals of earlier runs."""
    value = env.get("VERIFY_REPEAT_POSSIBLY_CHARGED") or env.get("VERIFY_RETRY_ON_TIMEOUT") or "false"
    return value.lower() == "true"

def percentile(values, p):
    """Nearest rank, as the cold-start benchmark's."""
    if not values:
        return None
    s = sorted(values)
    rank = max(1, -(-len(s) * p // 100))
    return s[int(rank) - 1]


def duration_ms(text):
    """A setting's duration as the function reads the simple forms used here: 500ms, 1s."""
    m = re.fullmatch(r"(\d+)(ms|s)", text)
    if not m:
        raise ValueError(f"unsupported duration {text!r}")
    return int(m.group(1)) * (1 if m.group(2) == "ms" else 1000)


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def china_day(ms):
    return datetime.datetime.fromtimestamp(ms / 1000.0, CHINA).date().isoformat()


def day_end_s(day):
    """Epoch seconds of the China midnight that ends the day (YYYY-MM-DD)."""
    d = datetime.date.fromisoformat(day) + datetime.timedelta(days=1)
    return int(datetime.datetime(d.year, d.month, d.day, tzinfo=CHINA).timestamp())


def maybe_charged(row):
    """(certainly, possibly): whether the function, which saw only the reply, had to take the request as possibly
    charged. Certainly after a reply it cannot use (a reset, no answer in time, a 502 or 504, a 200 it cannot read or
    with an unknown code: plan.NO_USABLE_REPLY); possibly when the reply may have come after the function stopped
    waiting (a slowish answer or 503, a request held back in the brownout, a connection the function had closed)."""
    certain = row["kind"] in plan.NO_USABLE_REPLY
    possible = certain or row["kind"] in ("slowish", "slow-503") or bool(row.get("delayed_s")) \
        or row["status"] == "gone"
    return certain, possible


def read_charge(row):
    """A charged request whose answer the function surely read: a documented answer at once, nothing in the way."""
    return row["charged"] and row["kind"] == "answer" and row["status"] == 200 and not row.get("delayed_s")


def fault_class(row):
    kind = row["kind"]
    if kind == "answer" and row["result"] in (-2, -3):
        return "engine-error"
    if kind.startswith("429"):
        return "429"
    if kind == "slowish" and row["status"] == 200 and row["result"] in (-2, -3):
        return "engine-error"
    return kind


class Pass:
    def __init__(self, work, name):
        d = os.path.join(work, name)
        self.name = name
        self.dir = d
        with open(os.path.join(d, "pass.json")) as f:
            self.meta = json.load(f)
        self.invocations = read_jsonl(os.path.join(d, "invocations.jsonl"))
        self.api = read_jsonl(os.path.join(d, "api.jsonl"))
        self.secrets = read_jsonl(os.path.join(d, "secrets.jsonl"))
        self.store = read_jsonl(os.path.join(d, "store.jsonl"))
        table = os.path.join(d, "table.jsonl")
        self.table = read_jsonl(table) if os.path.exists(table) else None
        with open(os.path.join(d, "rss.json")) as f:
            self.rss = json.load(f)
        with open(os.path.join(d, "jvm.log"), encoding="utf-8", errors="replace") as f:
            self.log = f.read()
        self.by_cid = collections.defaultdict(list)
        for r in self.api:
            self.by_cid[r["cid"]].append(r)
        for rows in self.by_cid.values():
            rows.sort(key=lambda r: r["n"])


class Answer:
    """One invocation's answer as a caller sees it, and what is wrong with its form. retry: the function runs with
    VERIFY_REPEAT_POSSIBLY_CHARGED=true, under which a possibly charged failure is retryable as its type says."""

    def __init__(self, inv, validator, retry=False):
        self.problems = []
        self.json = None
        self.http_status = None
        self.failure = None
        self.outcome = None
        try:
            self._read(inv)
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            self.problems.append(f"unreadable answer ({type(e).__name__})")
            return
        if self.json is not None:
            errors = sorted(validator.iter_errors(self.json), key=lambda e: list(e.path))
            if errors:
                self.problems.append("schema: " + "; ".join(e.message[:160] for e in errors[:3]))
        rid = inv["rid"]
        if self.failure is not None:
            err = self.failure["error"]
            kind = ERROR_TYPES.get(err.get("type"))
            if kind is None:
                return
            unknown = err.get("outcome_unknown", False)
            expected_status = 502 if unknown and kind[0] == 503 else kind[0]
            if self.failure.get("request_id") != rid:
                self.problems.append("failure request_id is not the Lambda request id")
            if err.get("retryable") != (kind[1] and (retry or not unknown)):
                self.problems.append(f"retryable {err.get('retryable')} for {err['type']} (outcome_unknown {unknown})")
            if inv["source"] == "direct":
                expected_class = OUTPUT + ("OutcomeUnknownException" if unknown else kind[2])
                if self.error_type != expected_class:
                    self.problems.append(f"errorType {self.error_type} for {err['type']}, expected {expected_class}")
            elif self.http_status != expected_status:
                self.problems.append(f"HTTP {self.http_status} for {err['type']}, expected {expected_status}")
            if inv["source"] == "http-v2":
                ra = self.headers.get("Retry-After")
                want = err.get("retry_after_seconds")
                if (ra is None) != (want is None) or (ra is not None and int(ra) != want):
                    self.problems.append(f"Retry-After header {ra!r} with retry_after_seconds {want!r}")
        if self.outcome is not None:
            o = self.outcome
            if o["request_id"] != rid:
                self.problems.append("outcome request_id is not the Lambda request id")
            if o["correlation_id"] != inv["cid"]:
                self.problems.append("outcome correlation_id is not the one sent")
            if inv["kind"] != "bad-mobile" and o["mobile"] != inv["masked"]:
                self.problems.append("outcome mobile is not the number sent, masked")
            if inv["source"] == "http-v2" and self.http_status != 200:
                self.problems.append(f"an outcome with HTTP {self.http_status}")
        if inv["source"] == "http-v2" and inv["route"] == "method-not-allowed" and self.headers.get("Allow") != "POST":
            self.problems.append("405 without Allow: POST")

    def _read(self, inv):
        body = json.loads(inv["body"])
        self.headers = {}
        self.error_type = None
        if inv["source"] == "direct":
            if inv["post"] == "error":
                self.error_type = body["errorType"]
                self.json = json.loads(body["errorMessage"])
            else:
                self.json = body
        else:
            if inv["post"] == "error":
                self.problems.append("an API Gateway event ended in an invocation error instead of a response")
                return
            self.http_status = body["statusCode"]
            self.headers = body["headers"]
            if body.get("isBase64Encoded"):
                self.problems.append("response body marked base64")
            # The correlation id: the X-Request-Id header's, else the body's once the body has been read, else
            # the Lambda request id.
            read = inv["route"] == "ok" and inv["kind"] != "invalid-request"
            want = inv["cid"] if inv["cid_header"] or read else inv["rid"]
            if self.headers.get("X-Request-Id") != want:
                self.problems.append("X-Request-Id header is not the correlation id")
            self.json = json.loads(body["body"])
        if isinstance(self.json, dict) and "error" in self.json:
            self.failure = self.json
            if inv["source"] == "direct" and inv["post"] != "error":
                self.problems.append("a direct invocation returned a failure instead of throwing it")
        else:
            self.outcome = self.json
            if inv["source"] == "direct" and inv["post"] == "error":
                self.problems.append("a direct invocation threw an outcome")

    def label(self):
        if self.outcome is not None:
            o = self.outcome
            tag = " (replayed)" if o["replayed"] else " (local)" if not o["checked_upstream"] else ""
            return o["status"] + tag
        if self.failure is not None:
            e = self.failure["error"]
            tag = " (circuit open)" if e.get("circuit_open") else ""
            tag += " (outcome unknown)" if e.get("outcome_unknown") else ""
            return e["type"] + tag
        return "unreadable"


RSS_TOLERANCE_MIB = 8
WARMUP = 2000
_answers = {}  # the judged form of each answer, by everything it depends on (the checks run more than once)


def answer(inv, validator, retry=False):
    key = json.dumps([inv, retry], sort_keys=True, ensure_ascii=False)
    if key not in _answers:
        _answers[key] = Answer(inv, validator, retry)
    return _answers[key]


def validator():
    """The published JSON Schema of the function's output."""
    import jsonschema
    root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    with open(os.path.join(root, "function/src/main/resources/schema/verification-output.schema.json")) as f:
        return jsonschema.Draft202012Validator(json.load(f))


def check_pass(p, validator, rss_tolerance_kb=RSS_TOLERANCE_MIB * 1024, warmup=WARMUP):
    v = collections.defaultdict(list)   # promise -> list of what broke it
    n = p.meta["invocations"]
    windows = p.meta["windows"]
    rotation = windows["token-rotation"]
    store_pass = p.meta["pass"] in plan.STORE_PASSES
    phase_windows = phases(windows, store_pass)
    if not p.meta.get("ok"):
        v["run"].append(f"the pass did not finish: {p.meta.get('error')}")
    if p.meta.get("unexpected"):
        v["run"].append(f"{len(p.meta['unexpected'])} unexpected requests, e.g. {p.meta['unexpected'][:3]}")
    if len(p.invocations) != n and p.meta.get("ok"):
        v["run"].append(f"{len(p.invocations)} invocations recorded of {n}")

    by_type = collections.Counter()
    money_by_type = collections.defaultdict(lambda: [0, 0, 0])  # label -> [invocations, API requests, charged]
    latency_by = collections.defaultdict(list)
    blocks = collections.defaultdict(lambda: {"all": [], "clean": []})
    overshoots = []
    short_slack = []
    keyed = collections.defaultdict(list)
    replays = []  # (invocation, key, (first invocation, its outcome), the replayed outcome)
    outcome_unknown = {"invocations": 0, "requests": 0, "charged": 0, "no_request": 0}
    charged_answers = 0
    charged_requests = sum(1 for r in p.api if r["charged"])
    requests_of_charged_answers = 0
    token_rejections = 0
    answers = {}
    throttled_at = {s["i"] for s in p.secrets if s["throttled"]}
    env = p.meta.get("function_env", {})
    attempt_ms = duration_ms(env.get("VERIFY_ATTEMPT_TIMEOUT", "3s"))
    margin_ms = duration_ms(env.get("VERIFY_DEADLINE_MARGIN", "500ms"))
    capped = collections.Counter()  # requests sent with less than one attempt timeout left before the margin
    short_deadline_ends = collections.Counter()  # short-deadline invocations that met a fault: how they ended
    no_time_left = collections.Counter()  # UPSTREAM_TIMEOUT without a call that may have been charged: short?
    gave_up = collections.Counter()  # a retryable refusal returned before the last attempt, for want of time
    max_attempts = int(env.get("VERIFY_MAX_ATTEMPTS", "3"))
    retry = repeats_possibly_charged(env)
    budget = int(env.get("VERIFY_DAILY_BUDGET", "0") or 0)
    possibly_charged_answers = collections.Counter()  # outcomes by possibly_charged_attempts
    answered_after_maybe = 0  # outcomes from the API with a request before the last that may have been charged
    without_pca = []  # outcomes without possibly_charged_attempts

    for inv in p.invocations:
        i, cid = inv["i"], inv["cid"]
        a = answer(inv, validator, retry)
        answers[i] = a
        where = f"#{i} ({inv['source']}, {cid})"
        for problem in a.problems:
            v["shape"].append(f"{where}: {problem}")
        rows = p.by_cid.get(cid, [])
        charged = sum(1 for r in rows if r["charged"])
        label = a.label()
        by_type[label] += 1
        m = money_by_type[label]
        m[0] += 1
        m[1] += len(rows)
        m[2] += charged
        if charged > 1 and not retry:
            v["money"].append(f"{where}: {charged} charged requests (double charge)")
        for r in rows[:-1]:
            if retry and read_charge(r):
                v["money"].append(f"{where}: request {r['n']} was charged and answered, and another followed "
                                  "(double charge)")
            elif not retry and maybe_charged(r)[0]:
                v["money"].append(f"{where}: request {r['n']} may have been charged ({r['kind']}) and another "
                                  "followed, without VERIFY_REPEAT_POSSIBLY_CHARGED")
        # Requests before the last that the function had to take as possibly charged: certainly, and at most.
        earlier_certain = sum(1 for r in rows[:-1] if r["charged"] or maybe_charged(r)[0])
        earlier_possible = sum(1 for r in rows[:-1] if r["charged"] or maybe_charged(r)[1])
        overshoot = inv["done_ms"] - inv["deadline_ms"]
        overshoots.append(overshoot)
        if overshoot > 0:
            v["deadline"].append(f"{where}: answered {overshoot:.0f} ms after its deadline ({inv['budget_ms']} ms)")
        if inv["budget_ms"] < plan.TEMPLATE_TIMEOUT_MS:
            short_slack.append(-overshoot)
        in_refused = plan.in_windows(i, windows["api-refused"])
        token_rejections += sum(1 for r in rows if r["kind"] == "invalid-token")

        if a.outcome is not None:
            o = a.outcome
            expect_local = {"bad-name": "INVALID_NAME", "bad-mobile": "INVALID_MOBILE"}.get(inv["kind"])
            pca = o.get("possibly_charged_attempts")
            if not isinstance(pca, int):
                without_pca.append(i)
                pca = 0
            possibly_charged_answers[pca] += 1
            if o["replayed"] or not o["checked_upstream"]:
                if pca or o["billable"]:
                    v["shape"].append(f"{where}: possibly_charged_attempts {pca}, billable {o['billable']} on an "
                                      "answer given without a call")
                if rows:
                    v["money"].append(f"{where}: {len(rows)} API requests behind an answer given without a call")
                if not o["replayed"] and expect_local != o["status"]:
                    v["shape"].append(f"{where}: a local {o['status']} for a {inv['kind']} event")
                if o["replayed"] and not inv["key"]:
                    v["shape"].append(f"{where}: replayed without an idempotency key")
            else:
                if expect_local and not inv["key"]:
                    v["shape"].append(f"{where}: {inv['kind']} event answered by the API, not the pre-check")
                last = rows[-1] if rows else None
                if last is None or last["status"] != 200 or last["result"] != o["result_code"] \
                        or last["trace"] != o["upstream_trace_id"]:
                    v["shape"].append(f"{where}: answer {o['result_code']} (trace {o['upstream_trace_id']}) is not "
                                      f"the API's last answer {last and (last['status'], last['result'], last['trace'])}")
                if o["attempts"] != len(rows):
                    v["shape"].append(f"{where}: attempts {o['attempts']}, the API received {len(rows)}")
                answered_after_maybe += earlier_certain > 0
                if not earlier_certain <= pca <= earlier_possible:
                    v["shape"].append(f"{where}: possibly_charged_attempts {pca}; of the API's requests before the "
                                      f"last, {earlier_certain} had to be taken as possibly charged, "
                                      f"{earlier_possible} at most")
                if o["billable"] != (o["result_code"] in plan.CHARGED_CODES or pca > 0):
                    v["shape"].append(f"{where}: billable {o['billable']} for result {o['result_code']} with "
                                      f"possibly_charged_attempts {pca}")
            if o["billable"]:
                charged_answers += 1
                requests_of_charged_answers += len(rows)
                if o["result_code"] in plan.CHARGED_CODES and not (rows and rows[-1]["charged"]):
                    v["money"].append(f"{where}: a charged answer whose last request was not charged")
                elif not retry and charged != 1:
                    v["money"].append(f"{where}: a charged answer with {charged} charged requests")
            elif charged:
                v["money"].append(f"{where}: {charged} charged requests behind a non-billable {o['status']}")
            if not o["billable"] and (charged or earlier_certain):
                v["budget"].append(f"[billable] {where}: billable false on {o['status']} with {charged} charged and "
                                   f"{earlier_certain} possibly charged requests behind it")
        elif a.failure is not None:
            e = a.failure["error"]
            t, unknown = e["type"], bool(e.get("outcome_unknown"))
            if unknown:
                outcome_unknown["invocations"] += 1
                outcome_unknown["requests"] += len(rows)
                outcome_unknown["charged"] += charged
                outcome_unknown["no_request"] += not rows
            elif charged:
                v["money"].append(f"{where}: {charged} charged requests behind {t} without outcome_unknown")
            if t == "UPSTREAM_AUTH":
                v["token"].append(f"{where}: UPSTREAM_AUTH (the rotated token was not picked up)")
            route = inv["route"]
            if route != "ok" or inv["kind"] == "invalid-request":
                want = {"not-found": "NOT_FOUND", "method-not-allowed": "METHOD_NOT_ALLOWED"}.get(route,
                                                                                             "INVALID_REQUEST")
                if t != want:
                    v["shape"].append(f"{where}: {t} for a {route}/{inv['kind']} event, expected {want}")
            elif not rows:
                allowed = (t, unknown) in NO_CALL or (t == "UPSTREAM_UNAVAILABLE" and not unknown
                                                      and (e.get("circuit_open") or in_refused))
                allowed |= t == "UPSTREAM_TIMEOUT" and unknown and inv["key"] is not None
                allowed |= budget > 0 and (t, unknown) == ("BUDGET_EXHAUSTED", False)
                if not allowed:
                    v["shape"].append(f"{where}: {label} with no request at the API")
                if t in ("IDEMPOTENCY_KEY_REUSED", "IN_PROGRESS", "RECORDS_UNAVAILABLE") and not inv["key"] \
                        and not (budget and t == "RECORDS_UNAVAILABLE"):
                    v["shape"].append(f"{where}: {t} without an idempotency key")
            else:
                last = rows[-1]
                fault = fault_class(last)
                allowed = set(AFTER_FAULT.get(fault, set()))
                if last.get("delayed_s") or last["status"] == "gone":
                    # Answered too late for the attempt: whatever the API did, the function stopped waiting.
                    allowed |= {("UPSTREAM_TIMEOUT", True)}
                if fault in RETRIED_FAULTS:
                    allowed |= {("UPSTREAM_TIMEOUT", False)}
                    if e.get("circuit_open"):
                        allowed |= {("UPSTREAM_UNAVAILABLE", False)}
                # A request is called again after a refusal that is retried, a rejected token, and (with
                # VERIFY_REPEAT_POSSIBLY_CHARGED) a reply it could not use; with a budget, that next request needs its
                # own
                # reservation, which may be refused.
                last_certain, last_possible = maybe_charged(last)
                if budget and (fault in RETRIED_FAULTS or fault == "invalid-token" or (retry and last_possible)):
                    if last["charged"] or last_certain:
                        allowed |= {(x, True) for x in RESERVATION_REFUSALS}
                    else:
                        allowed |= {(x, False) for x in RESERVATION_REFUSALS}
                        if last_possible:
                            allowed |= {(x, True) for x in RESERVATION_REFUSALS}
                # After an earlier request that may have been charged, so may the invocation.
                if earlier_certain:
                    allowed = {(x, True) for x, _ in allowed}
                elif earlier_possible:
                    allowed |= {(x, True) for x, _ in allowed}
                if (t, unknown) not in allowed:
                    v["shape"].append(f"{where}: {label} after the API's {fault} (expected one of {sorted(allowed)})")
                if fault == "429" and t == "RATE_LIMITED" \
                        and e.get("retry_after_seconds") != RETRY_AFTER[rows[-1]["kind"]]:
                    v["shape"].append(f"{where}: retry_after_seconds {e.get('retry_after_seconds')} after "
                                      f"{rows[-1]['kind']}")
            if t == "BUDGET_EXHAUSTED" and not unknown and (charged or any(maybe_charged(r)[0] for r in rows)):
                v["budget"].append(f"[exhausted] {where}: BUDGET_EXHAUSTED without outcome_unknown after "
                                   f"{len(rows)} requests, {charged} charged, the last {rows[-1]['kind']}")
            if t == "SECRETS_UNAVAILABLE" and i not in throttled_at:
                v["shape"].append(f"{where}: SECRETS_UNAVAILABLE with no throttled Secrets Manager call")
        # A rejected token must be followed by the new one, unless re-reading the secret failed.
        for k, r in enumerate(rows):
            if r["kind"] == "invalid-token":
                if r["i"] < rotation or r["token"] != 1:
                    v["token"].append(f"{where}: token {r['token']} rejected at invocation {r['i']}")
                followed = any(x["token"] == 2 for x in rows[k + 1:])
                failed_refresh = a.failure is not None and a.failure["error"]["type"] == "SECRETS_UNAVAILABLE"
                if not followed and not failed_refresh:
                    v["token"].append(f"{where}: the rejected token was not followed by the new one")
        for k, r in enumerate(rows):
            if inv["deadline_ms"] - margin_ms - r["t0"] < attempt_ms:
                capped["requests"] += 1
                if k == len(rows) - 1 and a.failure is not None and a.failure["error"]["type"] == "UPSTREAM_TIMEOUT" \
                        and a.failure["error"].get("outcome_unknown"):
                    capped["cut at the deadline"] += 1
        if inv["key"]:
            keyed[inv["key"]].append((i, a, charged, rows))
        if inv["budget_ms"] < plan.TEMPLATE_TIMEOUT_MS and (rows and any(
                fault_class(r) != "answer" for r in rows) or a.failure is not None):
            short_deadline_ends[label] += 1
        if a.failure is not None and not a.failure["error"].get("outcome_unknown") \
                and not a.failure["error"].get("circuit_open"):
            e = a.failure["error"]
            short = inv["budget_ms"] < plan.TEMPLATE_TIMEOUT_MS
            if e["type"] == "UPSTREAM_TIMEOUT":
                no_time_left[short] += 1
            elif e["type"] in ("ENGINE_ERROR", "UPSTREAM_UNAVAILABLE", "RATE_LIMITED") and rows \
                    and len(rows) < max_attempts and rows[-1]["kind"] != "429-retry-after-60" \
                    and not plan.in_windows(i, windows["api-refused"]):
                # A refusal that may be retried, fewer calls than allowed: the next wait and attempt did not fit.
                gave_up[short] += 1

        # Latency: by 2,000-invocation block, and by what the invocation met.
        lat = inv["latency_ms"]
        block = i // 2000
        blocks[block]["all"].append(lat)
        clean = (len(rows) == 1 and rows[0]["kind"] == "answer" and rows[0]["result"] not in (-2, -3)
                 and not inv["key"] and not in_phase(i, phase_windows))
        if clean:
            blocks[block]["clean"].append(lat)
        latency_by[met(inv, rows, a, phase_windows)].append(lat)

    # Idempotency keys: one charged request at most over all of a key's invocations; one answer, replayed as given.
    key_figures = collections.Counter()
    for key, uses in keyed.items():
        total = sum(c for _, _, c, _ in uses)
        key_figures["keys"] += 1
        key_figures["repeats"] += len(uses) - 1
        if total > 1 and not retry:
            v["money"].append(f"key {key}: {total} charged requests over {len(uses)} invocations")
        # Every request made for the key, in the order they reached the API, and the invocation each was part of.
        sent = sorted(((r, i) for i, _, _, rows in uses for r in rows), key=lambda x: x[0]["t0"])
        for (r, i), (after, j) in zip(sent, sent[1:]):
            if retry and read_charge(r):
                v["money"].append(f"key {key}: charged and answered at #{i}, then requested again at #{j} "
                                  "(double charge)")
            elif not retry and maybe_charged(r)[0] and i != j:
                v["money"].append(f"key {key}: may have been charged at #{i} ({r['kind']}), then requested again "
                                  f"at #{j}, without VERIFY_REPEAT_POSSIBLY_CHARGED")
        if not any(rows for _, _, _, rows in uses) and any(
                a.failure is not None and a.failure["error"].get("outcome_unknown") for _, a, _, _ in uses):
            # Refused as possibly charged, though no request with this key ever reached the API: its claim was
            # written but neither confirmed nor released in time (the store still unreachable for the release), or
            # its settle failed after an answer that was not charged.
            key_figures["outcome unknown, never sent"] += 1
        first = None
        for k, (i, a, _, _) in enumerate(uses):
            if k:
                key_figures["repeat: " + a.label()] += 1
            o = a.outcome
            if o is None:
                continue
            if not o["replayed"]:
                if first is not None:
                    v["money"].append(f"key {key}: answered again without replay at #{i} (first at #{first[0]})")
                first = (i, o)
            else:
                key_figures["replayed"] += 1
                if first is None:
                    v["shape"].append(f"key {key}: #{i} replayed an answer this run never gave")
                elif any(o[f] != first[1][f] for f in REPLAYED_FACTS):
                    v["shape"].append(f"key {key}: #{i} replayed another answer than #{first[0]} gave")
                else:
                    replays.append((i, key, first, o))

    # A replay is worded for the request it answers: the description the run's own answers gave for that status in
    # that request's language; the carrier as the first answer's when both were asked in the same language.
    lang_of = {inv["i"]: inv.get("lang", "en") for inv in p.invocations}
    words = collections.defaultdict(set)  # (status, language) -> descriptions given first-hand
    for inv in p.invocations:
        o = answers[inv["i"]].outcome
        if o is not None and not o["replayed"]:
            words[(o["status"], lang_of[inv["i"]])].add(o["description"])
    for i, key, (j, o1), o in replays:
        said = words.get((o["status"], lang_of[i]))
        if said and o["description"] not in said:
            v["shape"].append(f"key {key}: #{i} replayed {o['status']} as {o['description']!r}, not in its request's "
                              f"language ({lang_of[i]})")
        if lang_of[i] == lang_of[j] and (o["description"], o["carrier"]) != (o1["description"], o1["carrier"]):
            v["shape"].append(f"key {key}: #{i} replayed #{j}'s answer in the same language with other words")
    if without_pca:
        v["shape"].append(f"{len(without_pca)} outcomes without possibly_charged_attempts (#{without_pca[0]} first)")
    budget_figures = check_budget(p, answers, budget, v) if budget else None
    store_faults = store_fault_figures(p, answers, v) if store_pass else None

    # Memory: no growth after warm-up.
    rss = {s["after"]: s for s in p.rss}
    memory = {"samples": p.rss, "tolerance_mib": rss_tolerance_kb / 1024, "warmup": warmup}
    if warmup in rss and len(p.rss) >= 2:
        base, last = rss[warmup]["rss_kb"], p.rss[-1]["rss_kb"]
        memory.update(base_kb=base, last_kb=last, growth_kb=last - base,
                      max_hwm_kb=max(s["hwm_kb"] for s in p.rss),
                      max_after_warmup_kb=max(s["rss_kb"] for s in p.rss if s["after"] >= warmup))
        if last - base > rss_tolerance_kb:
            v["memory"].append(f"VmRSS {last / 1024:.1f} MiB after {p.rss[-1]['after']} invocations, "
                               f"{(last - base) / 1024:.1f} MiB above {base / 1024:.1f} MiB after {warmup} "
                               f"(tolerance {rss_tolerance_kb / 1024:.0f} MiB)")
    elif p.meta.get("ok"):
        memory["note"] = f"not judged: the run is too short for a sample after {warmup} invocations and a later one"
    memory["gc"] = heap_after_gc(os.path.join(p.dir, "gc.log"), rss.get(warmup, {}).get("t_s", 0))

    v["privacy"].extend(privacy(p.log, p.meta["seed"]))
    log_problems, refused_attempts = log_lines(p.log, p, answers, phase_windows)
    v["log"].extend(log_problems)

    # A plan that was not met proves nothing: every fault of the mix, and every phase, must have happened.
    met_kinds = collections.Counter(r["kind"] for r in p.api)
    needed = {kind: met_kinds[kind] for kind, _ in plan.API_MIX}
    needed["401 invalid_token after the rotation"] = token_rejections
    needed["Secrets Manager throttling"] = sum(1 for s in p.secrets if s["throttled"])
    needed["SECRETS_UNAVAILABLE"] = sum(n for k, n in by_type.items() if k.startswith("SECRETS_UNAVAILABLE"))
    needed["an open circuit"] = sum(n for k, n in by_type.items() if "circuit open" in k)
    needed["a refused connection"] = refused_attempts
    needed["an attempt cut off at the deadline"] = capped.get("cut at the deadline", 0)
    needed["a retry given up for want of time"] = sum(no_time_left.values()) + sum(gave_up.values())
    if store_pass:
        for mode in ("slow", "down", "blackhole"):
            needed[f"the store {mode}"] = sum(1 for inv in p.invocations if inv["key"]
                                             and plan.in_windows(inv["i"], windows["store-" + mode]))
        for mode in plan.STORE_FAULT_MODES:
            needed[f"the store {mode}"] = store_faults[mode]["requests"]
        needed["a replayed answer"] = sum(n for k, n in by_type.items() if "replayed" in k)
        needed["RECORDS_UNAVAILABLE"] = by_type.get("RECORDS_UNAVAILABLE", 0)
    if budget:
        for kind in ("reserve", "give-back"):
            needed[f"a {kind} whose outcome the function could not know"] = sum(
                1 for s in p.store if s.get("budget") == kind
                and counter_write_unknown(s, duration_ms(env.get("VERIFY_RECORDS_TIMEOUT", "500ms"))))
    if budget and len(budget_figures["days"]) <= 1:
        # A pass that crosses a China midnight starts the day's count again and may never reach the budget.
        needed["BUDGET_EXHAUSTED"] = budget_figures["exhausted"]
    if retry:
        needed["an answer after a possibly charged attempt"] = answered_after_maybe
    missing = sorted(k for k, count in needed.items() if not count)
    coverage = {"judged": n >= COVERAGE_FROM, "missing": missing}
    if missing and n >= COVERAGE_FROM:
        v["coverage"].append("never met: " + ", ".join(missing))

    sm = collections.Counter("throttled" if s["throttled"] else f"token {s['version']}" for s in p.secrets)
    store = collections.Counter(s["mode"] for s in p.store)
    store_delayed_past = sum(1 for s in p.store if s["delay_s"] and s["delay_s"] > 0.5)
    figures = {
        "pass": p.meta["pass"], "seed": p.meta["seed"], "invocations": len(p.invocations), "run_s": p.meta.get("run_s"),
        "init_s": p.meta.get("init_s"), "function_env": p.meta.get("function_env", {}), "windows": windows,
        "by_type": dict(by_type), "money_by_type": {k: list(x) for k, x in money_by_type.items()},
        "api_requests": len(p.api), "api_by_kind": dict(collections.Counter(fault_class(r) for r in p.api)),
        "charged_requests": charged_requests, "charged_answers": charged_answers,
        "requests_of_charged_answers": requests_of_charged_answers,
        "outcome_unknown": outcome_unknown, "token_rejections": token_rejections,
        "secrets": dict(sm), "store": dict(store), "store_delayed_past_timeout": store_delayed_past,
        "store_client_gone": sum(1 for s in p.store if s["client_gone"]),
        "keys": dict(key_figures), "retry_on_timeout": retry,
        "possibly_charged_answers": {str(k): c for k, c in sorted(possibly_charged_answers.items())},
        "outcomes_without_pca": len(without_pca), "answered_after_maybe": answered_after_maybe,
        "budget": budget_figures, "store_faults": store_faults,
        "short_deadline_ends": dict(short_deadline_ends),
        "no_time_left": {"short": no_time_left[True], "template": no_time_left[False]},
        "gave_up": {"short": gave_up[True], "template": gave_up[False]},
        "capped": dict(capped), "refused_attempts": refused_attempts,
        "deadline": {"max_overshoot_ms": max(overshoots) if overshoots else None,
                     "short_deadlines": len(short_slack),
                     "min_slack_short_ms": min(short_slack) if short_slack else None,
                     "min_slack_ms": -max(overshoots) if overshoots else None},
        "memory": memory, "coverage": coverage,
        "latency_blocks": [{"block": b, "n": len(x["all"]), "p50": percentile(x["all"], 50),
                            "p99": percentile(x["all"], 99), "clean_n": len(x["clean"]),
                            "clean_p50": percentile(x["clean"], 50), "clean_p99": percentile(x["clean"], 99)}
                           for b, x in sorted(blocks.items())],
        "latency_by": {k: {"n": len(x), "p50": percentile(x, 50), "p99": percentile(x, 99), "max": max(x)}
                       for k, x in sorted(latency_by.items(), key=lambda kv: -len(kv[1]))},
        "violations": {k: x for k, x in v.items() if x},
    }
    return figures


def heap_after_gc(path, warm_s):
    """The Java heap after each collection (-Xlog:gc), from the first one after warm-up to the last: a leak on the
    heap shows here before it shows in RSS."""
    collections_ = []
    try:
        with open(path) as f:
            for line in f:
                m = re.match(r"\[(\d+\.\d+)s\] GC\(\d+\) Pause (\w+).* \d+M->(\d+)M\(\d+M\)", line)
                if m:
                    collections_.append((float(m.group(1)), m.group(2), int(m.group(3))))
    except OSError:
        return None
    after = [c for c in collections_ if c[0] >= warm_s]
    if not after:
        return None
    return {"collections": len(collections_), "full": sum(1 for c in collections_ if c[1] == "Full"),
            "after_warmup_mib": after[0][2], "last_mib": after[-1][2], "max_mib": max(c[2] for c in after)}


def counter_write_known(s, inv, timeout_ms, margin_ms, min_attempt_ms):
    """Whether the function surely read the store's own answer to a counter write (proxy journal row s): the reply
    passed through untouched, said 200 (counted) or 400 (the condition failed), and left the proxy while the write's
    try was surely still waiting for it (its records timeout, and a reserve's room before the attempt it is for or a
    give-back's room before Lambda's timeout, each with COUNTER_SLACK_MS for the connection the proxy accepted late)."""
    if s["mode"] not in ("pass", "slow") or s["client_gone"] or s["status"] is None \
            or s["status"] != s["store_status"] or s["store_status"] not in (200, 400):
        return False
    if inv is None:
        return False
    if s["budget"] == "reserve":
        cap = inv["deadline_ms"] - margin_ms - min_attempt_ms
    else:
        cap = inv["deadline_ms"] - ANSWER_RESERVE_MS
    return s["t1"] <= min(s["t0"] + timeout_ms, cap) - COUNTER_SLACK_MS


def counter_write_unknown(s, timeout_ms):
    """Whether the function surely could not tell what became of a counter write: the proxy answered it with a fault
    of its own (a 500 or a bad 200, applied or not), never answered it (black hole), or held the store's reply back
    (slow) past the write's records timeout, counted from when the proxy took the request (the try started before)."""
    return s["mode"] in plan.STORE_FAULT_MODES or s["mode"] == "blackhole" \
        or (s["mode"] == "slow" and s["t1"] > s["t0"] + timeout_ms + COUNTER_SLACK_MS)


def confirmed(s):
    """A reserve the store applied and answered with its own 200 (the function may have read it)."""
    return s["applied"] and s["status"] == 200 and s["mode"] in ("pass", "slow") and not s["client_gone"]


def check_budget(p, answers, limit, v):
    """The daily budget (one counter item a China day, pk budget#YYYY-MM-DD, number n), from the store proxy's journal
    of the counter's writes, the API fake's journal, the answers and the table as it was at the end of the pass.

    Each invocation's counter writes and API requests are walked in the order they arrived: a reserve before every
    request, confirmed by the store; no request and no reserve after a reserve whose outcome the function could not
    know (it fails closed); no give-back after a request that was or may have been charged; a give-back after a
    request that surely was not (unless no time was left for it), and only one per reservation. An API request is
    counted on the day of the reservation it was sent under (the counter named by the confirmed reserve before it);
    a BUDGET_EXHAUSTED on the day of the counter whose reserve the store refused.

    Per day, with kept_min the requests that were charged or that the function had to take as possibly charged and
    kept_max those that were charged or may have been taken so: n equals the reserves the store applied minus the
    give-backs it applied (nothing else writes the counter); n <= N, and every count the store returned <= N; the
    charged requests <= N; n >= kept_min; n - kept_max <= the counter writes whose outcome the function could not know
    (each can leave one unit behind: a reserve applied without its reply, a give-back lost) plus the give-backs owed
    where no time was left to send them."""
    env = p.meta.get("function_env", {})
    timeout_ms = duration_ms(env.get("VERIFY_RECORDS_TIMEOUT", "500ms"))
    margin_ms = duration_ms(env.get("VERIFY_DEADLINE_MARGIN", "500ms"))
    min_attempt_ms = duration_ms(env.get("VERIFY_MIN_ATTEMPT_TIME", "1s"))
    retry = repeats_possibly_charged(env)
    inv_by_i = {inv["i"]: inv for inv in p.invocations}

    def fail(tag, text):
        v["budget"].append(f"[{tag}] {text}")

    # The table: one counter a day, nothing else under budget#.
    counters, expiries = {}, []
    for item in p.table or []:
        pk = item.get("pk", "")
        if not pk.startswith("budget#"):
            continue
        m = BUDGET_COUNTER.fullmatch(pk)
        if not m:
            fail("items", f"a budget item of another shape: {pk[:60]!r}")
            continue
        if not isinstance(item.get("n"), int) or item["n"] < 0:
            fail("items", f"{pk}: n is {item.get('n')!r}")
        counters[pk] = item.get("n") if isinstance(item.get("n"), int) else 0
        expires = item.get("expires_at")
        if not isinstance(expires, int) or expires < day_end_s(m.group(1)):
            expiries.append(pk)
    if expiries:
        fail("items", f"{len(expiries)} budget counters without expires_at or expiring before their day ends, "
                      f"e.g. {expiries[0]}")

    # The journal: only the two counter writes, each with the budget's limit; what the store did with them.
    writes = [s for s in p.store if s.get("budget")]
    others = [s for s in writes if s["budget"] not in ("reserve", "give-back")]
    if others:
        fail("journal", f"{len(others)} requests to budget items that are neither a reserve nor a give-back "
                        f"(#{others[0]['i']} first: {others[0]['op']} on {others[0]['counter']})")
    writes = [s for s in writes if s["budget"] in ("reserve", "give-back")]
    wrong_limit = [s for s in writes if s["budget"] == "reserve" and s["limit"] != limit]
    if wrong_limit:
        fail("exhausted", f"{len(wrong_limit)} reserves with a :limit other than {limit} "
                          f"(#{wrong_limit[0]['i']} first: {wrong_limit[0]['limit']!r})")
    over = [s for s in writes if s["applied"] and isinstance(s.get("n_after"), int) and s["n_after"] > limit]
    if over:
        fail("counter-limit", f"{len(over)} counter writes the store answered with a count above {limit} "
                              f"(#{over[0]['i']} first: {over[0]['n_after']})")
    journal = collections.Counter()
    for s in writes:
        if s["applied"]:
            journal[s["counter"]] += 1 if s["budget"] == "reserve" else -1

    day_of = lambda pk: pk[len("budget#"):]  # noqa: E731
    days = collections.defaultdict(collections.Counter)  # day -> figures
    first_exhausted = {}
    unreserved, totals = [], collections.Counter()
    by_i = collections.defaultdict(list)
    for s in writes:
        by_i[s["i"]].append(s)
    for inv in p.invocations:
        i = inv["i"]
        where = f"#{i} ({inv['source']}, {inv['cid']})"
        rows = p.by_cid.get(inv["cid"], [])
        events = sorted([(s["t0"], 0, "R" if s["budget"] == "reserve" else "G", s) for s in by_i.get(i, [])]
                        + [(r["t0"], 1, "Q", r) for r in rows], key=lambda e: (e[0], e[1]))
        reserve = None          # the last reserve row
        reserved_at = None      # the counter of the last confirmed reserve
        confirmations = 0       # confirmed reserves so far
        requests = 0
        unknown_reserve = None  # a reserve whose outcome the function could not know
        since = []              # what followed the last reserve: ("Q", row) and ("G", row)
        segments = []           # (reserve row, what followed it)
        for _, _, kind, x in events:
            if kind == "R":
                if unknown_reserve is not None:
                    fail("sent-again", f"{where}: a reserve sent after one whose outcome the function could not "
                                       f"know ({unknown_reserve['mode']})")
                if reserve is not None:
                    segments.append((reserve, since))
                reserve, since = x, []
                if confirmed(x):
                    confirmations += 1
                    reserved_at = x["counter"]
                if counter_write_unknown(x, timeout_ms):
                    unknown_reserve = x
            elif kind == "Q":
                requests += 1
                if unknown_reserve is not None:
                    fail("sent-again", f"{where}: request {x['n']} at the API after a reserve whose outcome the "
                                       f"function could not know ({unknown_reserve['mode']})")
                if confirmations < requests:
                    unreserved.append(i)
                day = day_of(reserved_at) if reserved_at else china_day(x["t0"])
                certain, possible = maybe_charged(x)
                days[day]["charged"] += x["charged"]
                days[day]["kept_min"] += x["charged"] or certain
                days[day]["kept_max"] += x["charged"] or possible
                since.append(("Q", x))
            else:
                if reserve is None:
                    fail("give-back", f"{where}: a give-back before any reserve of its invocation")
                since.append(("G", x))
        if reserve is not None:
            segments.append((reserve, since))
        if unknown_reserve is not None:
            a = answers.get(i)
            t = a.failure["error"]["type"] if a is not None and a.failure is not None else a and a.label()
            if t != "RECORDS_UNAVAILABLE":
                fail("sent-again", f"{where}: {t} after a reserve whose outcome the function could not know "
                                   f"({unknown_reserve['mode']}), not RECORDS_UNAVAILABLE")
        # Each reservation: kept after a request that was or may have been charged; given back once after one that
        # surely was not, or when no request was made under it (an open circuit, a refused connection).
        for r, followed in segments:
            gives = [x for k, x in followed if k == "G"]
            asked = [x for k, x in followed if k == "Q"]
            last = asked[-1] if asked else None
            for k, (kind, x) in enumerate(followed):
                if kind != "G":
                    continue
                before = [y for kk, y in followed[:k] if kk == "Q"]
                if before and (before[-1]["charged"] or maybe_charged(before[-1])[0]):
                    fail("kept", f"{where}: a give-back after request {before[-1]['n']} ({before[-1]['kind']}, "
                                 f"charged {before[-1]['charged']}), which was or may have been charged")
                if not confirmed(r):
                    fail("give-back", f"{where}: a give-back with no confirmed reservation before it")
            if len(gives) > 1:
                fail("sent-again", f"{where}: {len(gives)} give-backs for one reservation")
            if gives or not confirmed(r):
                totals["give-backs sent"] += bool(gives)
                continue
            owed = (last is None and counter_write_known(r, inv, timeout_ms, margin_ms, min_attempt_ms)) or (
                last is not None and not last["charged"] and not maybe_charged(last)[1])
            if not owed:
                continue
            after = last["t1"] if last is not None else r["t1"]
            if after > inv["deadline_ms"] - ANSWER_RESERVE_MS - GIVE_BACK_MIN_MS - COUNTER_SLACK_MS:
                days[day_of(r["counter"])]["no_time"] += 1  # no time left for the give-back
            else:
                fail("give-back", f"{where}: no give-back after "
                                  + (f"request {last['n']} ({last['kind']}, {last['status']}), which cannot have "
                                     "been charged" if last else "a reservation under which no request was made"))
        a = answers.get(i)
        if a is not None and a.failure is not None and a.failure["error"]["type"] == "BUDGET_EXHAUSTED":
            e = a.failure["error"]
            refused = reserve if reserve is not None and reserve["store_status"] == 400 \
                and reserve["status"] == 400 and reserve["mode"] in ("pass", "slow") else None
            totals["exhausted"] += 1
            totals["exhausted_outcome_unknown"] += bool(e.get("outcome_unknown"))
            totals["exhausted_after_requests"] += bool(rows)
            if refused is None:
                fail("exhausted", f"{where}: BUDGET_EXHAUSTED without a reserve the store refused as its last "
                                  "counter write")
                continue
            day = day_of(refused["counter"])
            days[day]["exhausted"] += 1
            first_exhausted.setdefault(day, i)
            # Until midnight in China, counted from when the reserve was refused, in whole seconds, at least 1.
            end_ms = day_end_s(day) * 1000.0
            low = max(1, int((end_ms - inv["done_ms"]) / 1000) - 1)
            high = int((end_ms - refused["t0"]) / 1000) + 1
            ra = e.get("retry_after_seconds")
            if not isinstance(ra, int) or not low <= ra <= high:
                fail("exhausted", f"{where}: BUDGET_EXHAUSTED with retry_after_seconds {ra!r}, midnight in China "
                                  f"is {low}-{high} s away")
    if unreserved:
        fail("reserve-first", f"{len(unreserved)} requests at the API without a reservation the store confirmed "
                              f"before them in their invocation (#{unreserved[0]} first)")

    # Counter writes by day: sent, applied, and those whose outcome the function could not know.
    for s in writes:
        day = day_of(s["counter"])
        kind = "reserves" if s["budget"] == "reserve" else "give_backs"
        days[day][kind] += 1
        days[day][kind + "_applied"] += s["applied"]
        if not counter_write_known(s, inv_by_i.get(s["i"]), timeout_ms, margin_ms, min_attempt_ms):
            days[day]["unknown_writes"] += 1
            days[day]["unknown_" + kind] += 1
            days[day]["unknown_" + kind + "_applied"] += s["applied"]

    figures = {"limit": limit, "exhausted": totals["exhausted"],
               "exhausted_outcome_unknown": totals["exhausted_outcome_unknown"],
               "exhausted_after_requests": totals["exhausted_after_requests"], "days": [],
               "unreserved_requests": len(unreserved), "retry_on_timeout": retry}
    all_days = sorted(set(days) | {day_of(pk) for pk in counters} | {day_of(pk) for pk in journal})
    for day in all_days:
        pk = "budget#" + day
        d = days[day]
        n = counters.get(pk, 0)
        row = {"day": day, "n": n, "journal": journal.get(pk, 0), "first_exhausted_at": first_exhausted.get(day)}
        row.update({k: d[k] for k in ("charged", "kept_min", "kept_max", "reserves", "reserves_applied",
                                      "give_backs", "give_backs_applied", "unknown_writes", "unknown_reserves",
                                      "unknown_reserves_applied", "unknown_give_backs",
                                      "unknown_give_backs_applied", "no_time", "exhausted")})
        figures["days"].append(row)
        if n != row["journal"]:
            fail("journal", f"{day}: the counter is at {n}; the store applied {d['reserves_applied']} reserves and "
                            f"{d['give_backs_applied']} give-backs ({row['journal']})")
        if n > limit:
            fail("counter-limit", f"{day}: the counter is at {n}, above the budget of {limit}")
        if d["charged"] > limit:
            fail("spend", f"{day}: {d['charged']} charged requests, above the budget of {limit}")
        if n < d["kept_min"]:
            fail("counter-low", f"{day}: the counter is at {n}, below the {d['kept_min']} requests that were "
                                "charged or had to be taken as possibly charged")
        if n - d["kept_max"] > d["unknown_writes"] + d["no_time"]:
            fail("leak", f"{day}: the counter is at {n}, {n - d['kept_max']} above the {d['kept_max']} requests "
                         f"that were or may have been charged; only {d['unknown_writes']} counter writes had an "
                         f"outcome the function could not know and {d['no_time']} give-backs had no time")
    total_charged = sum(d["charged"] for d in days.values())
    if total_charged > limit * max(1, len(all_days)):
        fail("spend", f"{total_charged} charged requests over {len(all_days)} China days, above {limit} a day")
    return figures


def store_fault_figures(p, answers, v):
    """For each of the store's faults at the wire: what it met (operations, whether the store applied the write) and
    how the invocations that met it ended, with the money, deadline and budget promises each of them broke."""
    broken = collections.defaultdict(set)  # invocation -> promises broken there
    for promise in ("money", "deadline", "budget"):
        for item in v.get(promise, []):
            for i in re.findall(r"#(\d+)", item):
                broken[int(i)].add(promise)
    out = {}
    for mode in plan.STORE_FAULT_MODES + ("slow", "down", "blackhole"):
        rows = [s for s in p.store if s["mode"] == mode]
        met = sorted({s["i"] for s in rows})
        if mode == "down":
            met = [i for i in range(p.meta["invocations"]) if plan.in_windows(i, p.meta["windows"]["store-down"])]
        ends = collections.Counter(answers[i].label() for i in met if i in answers)
        out[mode] = {"requests": len(rows), "ops": dict(collections.Counter(s["op"] for s in rows)),
                     "applied": sum(1 for s in rows if s["applied"]),
                     "sent": dict(collections.Counter(str(s["status"]) for s in rows)),
                     "invocations": len(met), "ends": dict(ends),
                     "broken": dict(collections.Counter(x for i in met for x in broken.get(i, ())))}
    return out


def phases(windows, store):
    """The windows of a pass, by invocation number."""
    names = ["api-refused", "api-503-burst", "api-brownout"]
    if store:
        names += ["store-down", "store-blackhole", "store-slow"] + ["store-" + m for m in plan.STORE_FAULT_MODES]
    return {w: windows[w] for w in names}


def in_phase(i, windows):
    return any(plan.in_windows(i, ranges) for ranges in windows.values())


def met(inv, rows, a, windows):
    """What an invocation met, for the latency table."""
    i = inv["i"]
    for w, ranges in windows.items():
        if plan.in_windows(i, ranges):
            return "window: " + w
    if a.outcome is not None and a.outcome["replayed"]:
        return "replayed"
    if a.outcome is not None and not a.outcome["checked_upstream"]:
        return "answered by the pre-check"
    if a.failure is not None and a.failure["error"].get("circuit_open"):
        return "circuit open"
    if not rows:
        return "no call: " + a.label()
    faults = [fault_class(r) for r in rows if not (r["kind"] == "answer" and r["result"] not in (-2, -3))]
    if not faults:
        return "answered at once" + (" (keyed)" if inv["key"] else "")
    return "met " + faults[-1]


def log_lines(log, p, answers, windows):
    """One summary line and one EMF object per invocation, saying what the caller was told; the attempts they count
    are the requests the API received (plus connections refused, inside the windows where the port is closed)."""
    found = []
    refused_attempts = 0
    summaries = collections.defaultdict(list)
    metrics = collections.defaultdict(list)
    for line in log.splitlines():
        if not line.startswith("{"):
            continue  # the runtime's own report of a thrown error
        try:
            j = json.loads(line)
        except ValueError:
            continue
        if "_aws" in j:
            metrics[j.get("aws_request_id")].append(j)
        elif j.get("loggerName") == "cloud.phonematch.verify.summary":
            summaries[j["mdc"].get("aws_request_id")].append(j["mdc"])
    rids = {inv["rid"] for inv in p.invocations}
    strays = (set(summaries) | set(metrics)) - rids
    if strays:
        found.append(f"{len(strays)} summary lines or metrics objects of no invocation")
    for inv in p.invocations:
        where = f"#{inv['i']} ({inv['source']}, {inv['cid']})"
        s, m = summaries.get(inv["rid"], []), metrics.get(inv["rid"], [])
        if len(s) != 1 or len(m) != 1:
            found.append(f"{where}: {len(s)} summary lines and {len(m)} metrics objects")
            continue
        s, m = s[0], m[0]
        a = answers[inv["i"]]
        rows = p.by_cid.get(inv["cid"], [])
        if a.outcome is not None:
            o = a.outcome
            told = (o["status"], o["billable"], o["replayed"], False, o["attempts"])
        elif a.failure is not None:
            e = a.failure["error"]
            told = (e["type"], False, False, bool(e.get("outcome_unknown")), None)
        else:
            continue
        logged = (s.get("status") or s.get("error.type"), s.get("billable") == "true", s.get("replayed") == "true",
                  s.get("outcome_unknown") == "true", int(s.get("attempts", -1)))
        counted = (m.get("Status"), m.get("Billable") == 1, m.get("Replayed") == 1, m.get("OutcomeUnknown") == 1,
                   m.get("Attempts"))
        for name, got in (("summary line", logged), ("metrics object", counted)):
            if got[:4] != told[:4] or (told[4] is not None and got[4] != told[4]):
                found.append(f"{where}: the {name} says {got}, the caller was told {told}")
        attempts = logged[4]
        refused = plan.in_windows(inv["i"], windows["api-refused"])
        if attempts < len(rows) or (attempts != len(rows) and not refused):
            found.append(f"{where}: {attempts} attempts logged, the API received {len(rows)} requests")
        elif refused:
            refused_attempts += attempts - len(rows)
    return found, refused_attempts


def privacy(log, seed):
    """The plaintext placeholders must never reach the function's log."""
    found = []
    mobiles = {x.mobile for x in plan.people(seed)}
    # Every run of digits that holds a placeholder number; any mainland mobile number standing alone; the forms
    # callers typed (+86 with hyphens, 0086, full-width digits).
    for m in re.finditer(r"\d{11,}", log):
        run = m.group()
        if any(run[k:k + 11] in mobiles for k in range(len(run) - 10)):
            found.append("a placeholder mobile number in jvm.log")
            break
        alone = not (log[m.start() - 1:m.start()].isalpha() or log[m.end():m.end() + 1].isalpha())
        if alone and re.fullmatch(r"1[3-9]\d{9}", run):
            found.append("an 11-digit mobile number in jvm.log")
            break
    if ("+86 " in log and re.search(r"\+86 1\d{2}-\d{4}-\d{4}", log)) \
            or ("0086" in log and re.search(r"(?<!\d)00861[3-9]\d{9}(?!\d)", log)) \
            or re.search("[\uff10-\uff19]{4,}", log):
        found.append("a mobile number as a caller typed it in jvm.log")
    for secret in plan.NAMES + list(fakes.TOKENS) + [fakes.HASH_KEY]:
        if secret in log:
            found.append(f"a placeholder name, token or hash key ({len(secret)} characters) in jvm.log")
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", required=True)
    ap.add_argument("--passes", nargs="+", required=True)
    ap.add_argument("--rss-tolerance-mib", type=float, default=RSS_TOLERANCE_MIB)
    ap.add_argument("--warmup", type=int, default=WARMUP)
    ap.add_argument("--java", default="java")
    ap.add_argument("--jvm-flags", default="")
    ap.add_argument("--tool-options", default="")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    import results
    root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    schema = validator()

    passes = []
    for name in args.passes:
        figures = check_pass(Pass(args.work, name), schema, int(args.rss_tolerance_mib * 1024), args.warmup)
        with open(os.path.join(args.work, name, "figures.json"), "w") as f:
            json.dump(figures, f, indent=1, ensure_ascii=False)
        passes.append(figures)
    results.write(passes, args, root)
    broken = [(r["pass"], k, x) for r in passes for k, x in r["violations"].items()]
    for pass_name, promise, items in broken:
        sys.stderr.write(f"[{pass_name}] BROKEN {promise}: {len(items)}\n")
        for item in items[:20]:
            sys.stderr.write(f"    {item}\n")
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
