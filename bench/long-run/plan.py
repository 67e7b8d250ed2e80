"""The seeded plan of a long run: the events, the per-request fault mix of the API fake, and the phases.

Everything here is a pure function of the seed, the number of invocations and the pass, so two runs with the same
arguments send the same events and meet the same faults. A request's fault is drawn from (seed, correlation id,
attempt number of that correlation id): the same for a given invocation's n-th call, whatever order the calls
arrive in or how long they take. Phases (bursts, closed ports, the token rotation, the store's bad windows) are
placed at fixed fractions of the run, by invocation number. A store fault inside its window is drawn per request from
(seed, invocation number, the request's number among that invocation's requests at the store).

The passes: "plain" (no records store), "records" (the records store, idempotency keys, the daily budget) and "retry"
(the same with VERIFY_REPEAT_POSSIBLY_CHARGED=true, so that possibly charged requests are repeated). Each has its
own events.
"""

import base64
import hashlib
import json
import random

# --- the API fake's mix, per request outside the phases ----------------------------------------------------------
# (kind, weight in 1/10,000 requests). What each kind does is in fakes.ApiFake; which kinds the API may have charged
# for is in ENGINE_RAN below.
API_MIX = [
    ("answer", 9070),            # a documented answer, drawn from ANSWERS
    ("429-retry-after-0", 50),   # 429 Retry-After: 0: the function may call again at once
    ("429-retry-after-1", 20),   # 429 Retry-After: 1: waited out on a 10 s deadline, not on a short one
    ("429-retry-after-60", 40),  # 429 Retry-After: 60: never fits, RATE_LIMITED with retry_after_seconds
    ("429-no-retry-after", 20),  # 429 without Retry-After: the function assumes 1 s
    ("503", 200),
    ("500", 50),
    ("502", 30),
    ("504", 30),
    ("slow-503", 100),           # 503 after 0.2-0.8 s (an overloaded gateway): retried, on a short deadline not always
    ("reset-before-read", 100),  # headers read, body not: RST; the engine never saw it
    ("reset-after-read", 100),   # the whole request read, the engine ran (charged if 0/1), then RST
    ("slow", 40),                # the engine ran (charged if 0/1); the answer comes after SLOW_S
    ("slowish", 50),             # a normal answer after 0.2-0.9 s: inside the attempt timeout, not always the deadline
    ("malformed", 50),           # 200 whose body is not the documented shape (the engine ran: charged if 0/1)
    ("unknown-code", 50),        # 200 with an undocumented result code: counted as charged
]
assert sum(w for _, w in API_MIX) == 10_000

# A documented answer's result code, by weight (in 1/100): 0 and 1 are charged; -2 and -3 are the engine's errors.
ANSWERS = [(0, 45), (1, 25), (-1, 10), (-4, 4), (-5, 4), (-6, 4), (-2, 5), (-3, 3)]
assert sum(w for _, w in ANSWERS) == 100

CHARGED_CODES = {0, 1}
# Kinds after which the API's engine ran on the request: the fake draws the answer it computed and journals it as
# charged when that is 0 or 1 (an unknown result code is journaled as charged: it may be a new charged one).
ENGINE_RAN = {"answer", "reset-after-read", "slow", "slowish", "malformed", "unknown-code", "502", "504"}
SLOW_S = 1.3                  # past the attempt timeout the run gives the function (run.sh: VERIFY_ATTEMPT_TIMEOUT)
SLOWISH_S = (0.2, 0.9)
SLOW_503_S = (0.2, 0.8)
BROWNOUT_S = (0.3, 0.9)
BROWNOUT_503_SHARE = 0.20
BROWNOUT_DEADLINE_MS = (1500, 2500)
UNKNOWN_CODES = ["7", "-9", "2", "x"]
MALFORMED_BODIES = [b"<html><body>Bad Gateway</body></html>", b'{"result":', b'{"description":"ok","trace_id":"t"}',
                    b'["0"]']

# --- events --------------------------------------------------------------------------------------------------------
NAMES = ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "测试甲", "测试乙", "欧阳测试", "Li Ceshi"]
# Mainland mobile prefixes every carrier table lists as mobile ranges (libphonenumber's CN metadata).
PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
            "157", "158", "159", "180", "181", "182", "183", "185", "186", "187", "188", "189"]
PEOPLE = 1500                # placeholder people the events are drawn from
TEMPLATE_TIMEOUT_MS = 10_000  # template.yaml's function timeout
SHORT_DEADLINE_MS = (1500, 3000)
SHORT_DEADLINE_SHARE = 0.10
HTTP_SHARE = 0.40
KEYED_SHARE = 0.35           # passes with the store: events with an idempotency key
KEY_REPEAT_SHARE = 0.40      # of keyed events: an earlier key again, same person
KEY_OTHER_PERSON_SHARE = 0.02  # of keyed events: an earlier key again, another person

# The passes with the records store (and the daily budget), and the tag of each pass's events and correlation ids.
STORE_PASSES = ("records", "retry")
PASS_TAGS = {"plain": "p", "records": "r", "retry": "t"}

# --- the records store's faults at the wire ------------------------------------------------------------------------
# Inside a window of one of these modes, this share of the requests at the store meets it; the others pass.
STORE_FAULT_MODES = ("apply-then-500", "apply-then-bad-200", "bad-200-not-applied")
STORE_FAULT_SHARE = 0.35
# The 200 that apply-then-bad-200 sends instead of the store's reply: empty, or a page a load balancer might send.
BAD_200_BODIES = {"empty": b"", "html": b"<html><head><title>OK</title></head><body>OK</body></html>\n"}


def _rng(*parts):
    return random.Random(hashlib.sha256(":".join(str(p) for p in parts).encode()).digest())


def _weighted(rng, table):
    x = rng.random() * sum(w for _, w in table)
    for value, w in table:
        x -= w
        if x < 0:
            return value
    return table[-1][0]


def windows(n):
    """The phases, by invocation number: each a (first, end) range, end exclusive."""
    def at(fraction, length):
        first = int(n * fraction)
        return (first, min(n, first + length))
    return {
        # Every request answered 503 (the circuit opens; once it closes again the mix resumes).
        "api-503-burst": [at(0.15, 40), at(0.45, 40), at(0.75, 60)],
        # An overloaded API: every request handled 0.3-0.9 s late, a fifth of them refused with 503 (not charged,
        # so retried), every event with a 1.5-2.5 s deadline: a retry may not fit before the deadline (the function
        # gives up), or get only what is left of it and be cut off there.
        "api-brownout": [at(0.40, 120)],
        # The API fake's port is closed, its open connections shut: connections are refused.
        "api-refused": [at(0.30, 60), at(0.85, 60)],
        # Secrets Manager throttles every GetSecretValue for this many seconds from the given invocation on
        # (wall time: what matters is the token's age). The long one outlasts the cache and stale limit.
        "sm-throttled": [(int(n * 0.20), 3.0), (int(n * 0.50), 1.0), (int(n * 0.62), 18.0)],
        # From this invocation on, the secret holds a new token and the API rejects the old one (401 invalid_token).
        "token-rotation": int(n * 0.50),
        # Passes with the store only: the store's replies are delayed 100-900 ms (the writes are applied), the store
        # refuses connections, or it accepts them and never answers.
        "store-slow": [at(0.25, 200)],
        "store-down": [at(0.55, 150)],
        "store-blackhole": [at(0.80, 50)],
        # Passes with the store only, per request (STORE_FAULT_SHARE of the requests inside the window, the rest
        # pass): the request reaches the store and is applied, and the function gets DynamoDB's 500
        # InternalServerError; or it is applied and the function gets a 200 with an empty body or an HTML page; or
        # it never reaches the store and the function gets a 200 with an empty body. Each is a write whose outcome
        # the reply does not tell (the last one's is "not made", but the reply does not say so).
        "store-apply-then-500": [at(0.10, 150)],
        "store-apply-then-bad-200": [at(0.35, 150)],
        "store-bad-200-not-applied": [at(0.68, 150)],
    }


def in_windows(i, ranges):
    return any(first <= i < end for first, end in ranges)


class Person:
    def __init__(self, index, seed):
        rng = _rng(seed, "person", index)
        self.name = NAMES[index % len(NAMES)]
        self.mobile = rng.choice(PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))

    def masked(self):
        return self.mobile[:3] + "****" + self.mobile[-4:]

    def typed(self, rng):
        """The number as a caller may type it (the function normalizes all of these to the same 11 digits)."""
        m = self.mobile
        form = rng.random()
        if form < 0.75:
            return m
        if form < 0.85:
            return f"+86 {m[:3]}-{m[3:7]}-{m[7:]}"
        if form < 0.93:
            return "0086" + m
        return "".join(chr(ord(c) + 0xFEE0) for c in m)  # full-width digits


def people(seed):
    return [Person(k, seed) for k in range(PEOPLE)]


def events(n, seed, pass_name):
    """The pass's events, in order: dicts with what to send and what the checks need to know about it."""
    persons = people(seed)
    brownout = windows(n)["api-brownout"]
    out = []
    keys = []  # (key, person index) of keyed events so far
    records = pass_name in STORE_PASSES
    tag = PASS_TAGS[pass_name]
    for i in range(n):
        rng = _rng(seed, tag, "event", i)
        cid = f"lr{tag}-{seed}-{i:06d}"
        p = rng.randrange(PEOPLE)
        person = persons[p]
        body = {"name": person.name, "mobile": person.typed(rng)}
        kind = "verify"
        x = rng.random()
        if x < 0.010:
            kind, body["name"] = "bad-name", person.name + "3"
        elif x < 0.020:
            kind, body["mobile"] = "bad-mobile", person.mobile[:7]
        elif x < 0.025:
            kind = "invalid-request"
            del body["mobile"]
        if rng.random() < 0.3:
            body["language"] = "zh"
        key = None
        if records and rng.random() < KEYED_SHARE:
            y = rng.random()
            if keys and y < KEY_REPEAT_SHARE:
                key, p = keys[rng.randrange(max(0, len(keys) - 300), len(keys))]
                person = persons[p]
                body.update(name=person.name, mobile=person.typed(rng))
                kind = "verify"
            elif keys and y < KEY_REPEAT_SHARE + KEY_OTHER_PERSON_SHARE:
                key, _ = keys[rng.randrange(max(0, len(keys) - 300), len(keys))]
            else:
                key = f"key-{tag}-{seed}-{i:06d}"
                keys.append((key, p))
        budget = TEMPLATE_TIMEOUT_MS
        if in_windows(i, brownout):
            budget = rng.randint(*BROWNOUT_DEADLINE_MS)
        elif rng.random() < SHORT_DEADLINE_SHARE:
            budget = rng.randint(*SHORT_DEADLINE_MS)
        http = rng.random() < HTTP_SHARE
        event = {"i": i, "cid": cid, "person": p, "kind": kind, "key": key, "budget_ms": budget,
                 "source": "http-v2" if http else "direct", "masked": person.masked(), "route": "ok",
                 "cid_header": False, "lang": body.get("language", "en")}
        if http:
            headers = {"content-type": "application/json"}
            event["cid_header"] = rng.random() < 0.5
            if event["cid_header"]:
                headers["x-request-id"] = cid
            else:
                body["correlation_id"] = cid
            if key is not None and rng.random() < 0.5:
                headers["idempotency-key"] = key
            elif key is not None:
                body["idempotency_key"] = key
            method, path = "POST", "/verifications"
            z = rng.random()
            if z < 0.002:
                event["route"], path = "not-found", "/verification"
            elif z < 0.004:
                event["route"], method = "method-not-allowed", "GET"
            event["payload"] = http_v2(method, path, headers, body, base64_body=rng.random() < 0.1, i=i)
        else:
            body["correlation_id"] = cid
            if key is not None:
                body["idempotency_key"] = key
            event["payload"] = json.dumps(body, ensure_ascii=False).encode()
        out.append(event)
    return out


def http_v2(method, path, headers, body, base64_body, i):
    text = json.dumps(body, ensure_ascii=False)
    event = {
        "version": "2.0", "routeKey": "ANY /verifications", "rawPath": path, "rawQueryString": "",
        "headers": headers,
        "requestContext": {"accountId": "123456789012", "apiId": "longrun", "domainName": "longrun.example",
                           "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "192.0.2.10",
                                    "userAgent": "long-run"},
                           "requestId": f"apigw-{i}", "routeKey": "ANY /verifications", "stage": "$default",
                           "timeEpoch": 1796000000000},
        "body": base64.b64encode(text.encode()).decode() if base64_body else text,
        "isBase64Encoded": base64_body,
    }
    return json.dumps(event, ensure_ascii=False).encode()


def api_fault(seed, cid, attempt):
    """The fault of the attempt-th request (1-based) of one correlation id, and the answer its engine computed."""
    rng = _rng(seed, "api", cid, attempt)
    kind = _weighted(rng, API_MIX)
    result = _weighted(rng, ANSWERS)
    extra = {}
    if kind == "slowish":
        extra["delay_s"] = rng.uniform(*SLOWISH_S)
    elif kind == "slow-503":
        extra["delay_s"] = rng.uniform(*SLOW_503_S)
    elif kind == "malformed":
        extra["body"] = rng.choice(MALFORMED_BODIES)
    elif kind == "unknown-code":
        extra["code"] = rng.choice(UNKNOWN_CODES)
    return kind, result, extra


def brownout(seed, cid, attempt):
    """During the brownout: how many seconds a request waits before the API fake handles it, and whether it is
    then refused with 503."""
    rng = _rng(seed, "brownout", cid, attempt)
    return rng.uniform(*BROWNOUT_S), rng.random() < BROWNOUT_503_SHARE


def store_delay(seed, connection):
    """Seconds a reply of the store is held back during a slow window."""
    return _rng(seed, "store", connection).uniform(0.1, 0.9)


def store_fault(seed, i, k, mode):
    """Inside a window of a store fault mode: whether the k-th request (1-based) at the store during invocation i
    meets it, and which bad 200 it gets (apply-then-bad-200)."""
    rng = _rng(seed, "store-fault", mode, i, k)
    return rng.random() < STORE_FAULT_SHARE, rng.choice(sorted(BAD_200_BODIES))


# --- the daily budget (VERIFY_DAILY_BUDGET) ------------------------------------------------------------------------
# The budget is reached in the last part of a pass with the store: late enough that every phase before it meets
# calls that can still be paid for, early enough that BUDGET_EXHAUSTED is met many times before the end.
BUDGET_AT = 0.85
# Kinds of a request after which the function cannot know whether it was charged (no usable reply): it keeps the
# request's reservation. Besides these, a request the function stopped waiting for.
NO_USABLE_REPLY = {"reset-before-read", "reset-after-read", "slow", "502", "504", "malformed", "unknown-code"}
# Refusals the function calls again after (not charged, so the reservation is given back before the next one).
RETRIED = {"429-retry-after-0", "429-no-retry-after", "500", "503", "slow-503"}


def daily_budget(n, seed, pass_name):
    """VERIFY_DAILY_BUDGET for a pass with the store: the reservations the first BUDGET_AT of its events would keep,
    counted from the plan's own draws. An event needs a paid call when it passes the local pre-check, is not a repeat
    of an earlier idempotency key (those are replayed, or refused, with no call) and falls outside the windows where
    the API cannot be reached (closed port, 503 burst). Its first request keeps a reservation when the API's draw
    charges it (0, 1, an unknown code) or leaves its reply unusable (NO_USABLE_REPLY); after a refusal that is
    retried, its second request's draw counts instead. What the plan does not draw (an open circuit after a burst,
    SECRETS_UNAVAILABLE, a store that refuses the reservation, a reservation left behind by a store fault) moves
    the point where the budget is reached by a few per cent of the pass either way; the report says where it was.
    """
    w = windows(n)
    closed = w["api-refused"] + w["api-503-burst"]
    last = int(n * BUDGET_AT)
    kept = 0
    for e in events(n, seed, pass_name)[:last]:
        if e["kind"] != "verify" or e["route"] != "ok" or in_windows(e["i"], closed):
            continue
        if e["key"] is not None and not e["key"].endswith(f"-{e['i']:06d}"):
            continue  # a repeat of an earlier key
        for attempt in (1, 2):
            kind, result, _ = api_fault(seed, e["cid"], attempt)
            if kind in RETRIED or (kind == "answer" and result in (-2, -3)):
                continue
            if kind in NO_USABLE_REPLY or (kind in ENGINE_RAN and result in CHARGED_CODES):
                kept += 1
            break
    return max(1, kept)
