"""The fakes of a long run, each keeping its own journal: the verification API (with its fault mix and a port that
can be closed), Secrets Manager (throttling bursts, the token rotation) and an HTTP proxy in front of the records
store (slow, down, black hole, and replies that do not tell whether a write was made). 127.0.0.1 only; standard
library only.
"""

import json
import os
import re
import socket
import struct
import sys
import threading
import time
from http.server import ThreadingHTTPServer

import plan

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cold-start"))
from runtime_api import Handler, serve  # noqa: E402  keep-alive HTTP/1.1 handler: read_body(), reply()

API_PATH = "/identity/phone/check-2e"
TOKENS = ("long-run-token-one-0f3a", "long-run-token-two-8c1d")
HASH_KEY = "bG9uZy1ydW4taGFzaC1rZXktb2YtYXQtbGVhc3QtMzI"


def wall_ms():
    return time.time() * 1000.0


class Run:
    """What the driver tells the fakes: which invocation is running, and whether the token has been rotated."""

    def __init__(self, seed):
        self.seed = seed
        self.index = -1
        self.rotated = False
        self.known_cids = set()
        self.unexpected = []
        self.lock = threading.Lock()

    def surprise(self, what):
        with self.lock:
            self.unexpected.append(what)


class _Server(ThreadingHTTPServer):
    """A server whose connections can all be shut, so that a closed port really refuses (no pooled keep-alive)."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler):
        self.connections = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request, client_address):
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def shut_all(self):
        with self.connections_lock:
            shut(list(self.connections))


class Closable:
    """An HTTP server on a fixed port that can stop listening (connections refused) and listen again."""

    def __init__(self, handler_cls):
        self.handler_cls = handler_cls
        self.server = None
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.open()

    def open(self):
        for _ in range(50):
            try:
                self.server = _Server(("127.0.0.1", self.port), self.handler_cls)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"port {self.port} could not be listened on again")
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()

    def close(self):
        server, self.server = self.server, None
        server.shutdown()
        server.server_close()
        server.shut_all()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"


def shut(sockets):
    """Shuts each socket both ways: its peer sees the connection end (a thread blocked reading it wakes up)."""
    for s in sockets:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def reset(handler):
    """Ends the handler's connection with a TCP reset (SO_LINGER 0), without a reply."""
    handler.close_connection = True
    try:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.rfile.close()
        handler.connection.close()
    except OSError:
        pass


class ApiFake:
    """The verification API. Journal: one row per request received, keyed by its x-request-id.

    Row: cid, n (the request's number among that id's), i (the invocation running), kind, result (the answer the
    engine computed, when it ran), charged (the API would bill it), status (the HTTP status sent, "reset", or
    "gone" when the function had already closed the connection), token (1, 2 or None), trace (the trace_id sent),
    delayed_s (the wait before handling it, in the brownout), t0/t1 (wall ms at arrival and at the end).
    """

    def __init__(self, run, windows):
        self.run = run
        self.windows = windows
        self.journal = []
        self.attempts = {}
        self.lock = threading.Lock()
        self.server = Closable(self._handler())

    def _handler(self):
        fake = self

        class VerificationApi(Handler):
            def do_POST(self):
                fake.handle(self)

            def do_GET(self):
                fake.run.surprise(f"api GET {self.path}")
                self.reply(404, b"{}")

        return VerificationApi

    def handle(self, h):
        t0 = wall_ms()
        cid = h.headers.get("x-request-id")
        i = self.run.index
        if h.path.split("?")[0] != API_PATH or cid not in self.run.known_cids:
            self.run.surprise(f"api POST {h.path} x-request-id={cid!r}")
            h.read_body()
            return h.reply(404, b'{"error":{"code":"not_found"}}')
        with self.lock:
            n = self.attempts[cid] = self.attempts.get(cid, 0) + 1
        kind, result, extra = plan.api_fault(self.run.seed, cid, n)
        delay = 0.0
        if plan.in_windows(i, self.windows["api-503-burst"]):
            kind = "503"
        elif plan.in_windows(i, self.windows["api-brownout"]):
            delay, refused = plan.brownout(self.run.seed, cid, n)
            if refused:
                kind = "503"
        row = {"cid": cid, "n": n, "i": i, "kind": kind, "result": None, "charged": False, "status": None,
               "token": None, "trace": None, "t0": t0}
        try:
            if kind == "reset-before-read":
                row["status"] = "reset"
                reset(h)
                return
            body = h.read_body()
            auth = h.headers.get("authorization", "")
            row["token"] = next((k + 1 for k, t in enumerate(TOKENS) if auth == "Bearer " + t), None)
            valid = 2 if self.run.rotated else 1
            try:
                request = json.loads(body)
                well_formed = isinstance(request.get("name"), str) and isinstance(request.get("mobile"), str)
            except (ValueError, AttributeError):
                well_formed = False
            if not well_formed:
                self.run.surprise(f"api request body not in the documented shape ({cid})")
            if row["token"] != valid:
                # A rejected token never reaches the engine.
                row["kind"] = "invalid-token"
                row["status"] = 401
                return h.reply(401, b'{"error":{"code":"invalid_token","message":"token is invalid"}}')
            if kind in plan.ENGINE_RAN:
                row["result"] = result
                row["charged"] = result in plan.CHARGED_CODES or kind == "unknown-code"
            trace = f"{cid}.{n}"  # the real API's trace ids are of the character set the function passes on
            row["trace"] = trace
            if delay:
                row["delayed_s"] = delay
                time.sleep(delay)
            try:
                self._reply(h, row, kind, result, extra, trace)
            except OSError:
                row["status"] = "gone"  # the function had stopped waiting and closed the connection
                h.close_connection = True
        finally:
            row["t1"] = wall_ms()
            with self.lock:
                self.journal.append(row)

    def _reply(self, h, row, kind, result, extra, trace):
        def answer(code):
            return json.dumps({"result": str(code), "description": "ok", "trace_id": trace}).encode()

        def error(status, code, headers=None):
            row["status"] = status
            h.reply(status, json.dumps({"error": {"code": code, "message": "fake"}, "trace_id": trace}).encode(),
                    headers=headers)

        if kind == "answer":
            row["status"] = 200
            h.reply(200, answer(result))
        elif kind.startswith("429"):
            headers = {"429-retry-after-0": {"Retry-After": "0"}, "429-retry-after-1": {"Retry-After": "1"},
                       "429-retry-after-60": {"Retry-After": "60"}}.get(kind)
            error(429, "too_many_requests", headers)
        elif kind in ("500", "502", "503", "504"):
            error(int(kind), {"500": "internal_error", "502": "bad_gateway", "503": "service_unavailable",
                              "504": "gateway_timeout"}[kind])
        elif kind == "reset-after-read":
            row["status"] = "reset"
            reset(h)
        elif kind in ("slow", "slowish", "slow-503"):
            time.sleep(plan.SLOW_S if kind == "slow" else extra["delay_s"])
            if kind == "slow-503":
                error(503, "service_unavailable")
            else:
                row["status"] = 200
                h.reply(200, answer(result))
        elif kind == "malformed":
            row["status"] = 200
            h.reply(200, extra["body"])
        elif kind == "unknown-code":
            row["status"] = 200
            h.reply(200, answer(extra["code"]))
        else:
            raise AssertionError(kind)


class SecretsFake:
    """Secrets Manager's GetSecretValue. Throttles (400 ThrottlingException) while a burst is on; after the rotation
    the secret holds the second token (and the same hash key, as a rotation must keep it). Journal: one row per call.
    """

    def __init__(self, run):
        self.run = run
        self.journal = []
        self.throttle_until = 0.0  # time.monotonic()
        self.lock = threading.Lock()
        self.server = serve(self._handler())

    def throttle_for(self, seconds):
        self.throttle_until = max(self.throttle_until, time.monotonic() + seconds)

    def _handler(self):
        fake = self

        class SecretsManager(Handler):
            def do_POST(self):
                body = self.read_body()
                t = wall_ms()
                target = self.headers.get("X-Amz-Target", "")
                try:
                    secret_id = json.loads(body or b"{}").get("SecretId")
                except (ValueError, AttributeError):
                    secret_id = None
                if target != "secretsmanager.GetSecretValue" or secret_id != "long-run-token":
                    fake.run.surprise(f"secrets {target} {secret_id!r}")
                    return self.reply(400, b'{"__type":"InvalidRequestException"}',
                                      content_type="application/x-amz-json-1.1")
                throttled = time.monotonic() < fake.throttle_until
                version = 2 if fake.run.rotated else 1
                with fake.lock:
                    fake.journal.append({"t": t, "i": fake.run.index, "throttled": throttled,
                                         "version": None if throttled else version})
                if throttled:
                    return self.reply(400, b'{"__type":"ThrottlingException","message":"Rate exceeded"}',
                                      content_type="application/x-amz-json-1.1",
                                      headers={"x-amzn-ErrorType": "ThrottlingException"})
                secret = json.dumps({"token": TOKENS[version - 1], "hash_key": HASH_KEY})
                reply = {"ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:long-run-token-AbCdEf",
                         "Name": "long-run-token", "SecretString": secret, "VersionId": f"v{version}",
                         "VersionStages": ["AWSCURRENT"], "CreatedDate": 1.7e9}
                self.reply(200, json.dumps(reply).encode(), content_type="application/x-amz-json-1.1")

        return SecretsManager

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"


class StoreProxy:
    """A proxy in front of the records store (moto's DynamoDB) that reads each HTTP request whole (request line,
    headers, a Content-Length or chunked body) before it decides what to do with it. One mode at a time, set by the
    driver between invocations:

    - pass: the request goes to the store, its reply back;
    - slow: the request reaches the store (and is applied); its reply is held back plan.store_delay() seconds;
    - down: the port is closed and open connections are shut: connections are refused;
    - blackhole: connections are accepted and read, nothing reaches the store, nothing comes back;
    - apply-then-500, apply-then-bad-200, bad-200-not-applied (plan.STORE_FAULT_MODES): a seeded share of the
      requests (plan.store_fault()) meets the fault, the others pass. apply-then-500: the request reaches the store
      and is applied (or refused by its condition, as the store decides), the client gets DynamoDB's 500
      InternalServerError instead of the reply; apply-then-bad-200: the same, with a 200 whose body is empty or an
      HTML page; bad-200-not-applied: the request never reaches the store, the client gets a 200 with an empty body.

    The store answers one request per connection (moto's server speaks HTTP/1.0), and so does the proxy: every reply
    it sends, its own or the store's, says Connection: close and ends the connection.

    Journal: one row per connection: n (its number), i (the invocation running when it was accepted), k (the
    request's number among that invocation's requests at the proxy), window (the proxy's mode), mode (what was done
    to this request: the window's mode, or "pass" for a request a fault window let through), op (the operation, from
    X-Amz-Target), budget (what the request does to the daily budget, read from its body by budget_write: "reserve"
    for the UpdateItem that counts one more on a day's counter if it is below the limit, "give-back" for the one that
    counts one less, "other" for any other request naming a budget item, None for the rest), counter (the budget
    item's pk), limit (a reserve's :limit), forwarded (the request reached the store), store_status (the store's HTTP
    status), applied (the store answered 200: the write was made), n_after (a counter write the store applied: the
    count its reply returned), status (the HTTP status sent to the client; None when nothing was sent), body (what
    replaced the store's reply: "500", "empty" or "html"), delay_s, client_gone (the client had gone when the reply
    was sent), t0/t1 (wall ms).
    """

    INTERNAL_ERROR = (b'{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError",'
                      b'"message":"Internal server error"}')
    MAX_HEADER = 65536
    TIMEOUT_S = 30

    def __init__(self, run, target_port):
        self.run = run
        self.target = ("127.0.0.1", target_port)
        self.mode = "pass"
        self.journal = []
        self.lock = threading.Lock()
        self.count = 0
        self.per_invocation = {}
        self.open_sockets = set()
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.listener = None
        self._listen()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def set_mode(self, mode):
        if mode == self.mode:
            return
        if mode == "down":
            self._unlisten()
        elif self.mode == "down":
            self._listen()
        if self.mode == "blackhole":
            self._shut_all()
        self.mode = mode

    def _listen(self):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        for _ in range(50):
            try:
                s.bind(("127.0.0.1", self.port))
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"port {self.port} could not be listened on again")
        s.listen(64)
        self.listener = s
        threading.Thread(target=self._accept, args=(s,), daemon=True).start()

    def _unlisten(self):
        s, self.listener = self.listener, None
        shut([s])
        s.close()
        self._shut_all()

    def _shut_all(self):
        with self.lock:
            shut(list(self.open_sockets))

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            i = self.run.index
            with self.lock:
                self.count += 1
                number = self.count
                k = self.per_invocation[i] = self.per_invocation.get(i, 0) + 1
                self.open_sockets.add(client)
            threading.Thread(target=self._serve, args=(client, number, i, k, self.mode), daemon=True).start()

    def _serve(self, client, number, i, k, window):
        row = {"n": number, "i": i, "k": k, "window": window, "mode": window, "op": None, "budget": None,
               "counter": None, "limit": None, "forwarded": False, "store_status": None, "applied": False,
               "n_after": None, "status": None, "body": None, "t0": wall_ms(), "delay_s": None, "client_gone": False}
        upstream = None
        try:
            client.settimeout(self.TIMEOUT_S)
            request = self._read_request(client)
            if request is None:
                row["mode"] = "incomplete"  # the client went away before its request was whole
                return
            raw, headers = request
            target = headers.get("x-amz-target", "")
            row["op"] = target.rpartition(".")[2] or None
            row.update(budget_write(raw.partition(b"\r\n\r\n")[2]))
            mode = window
            variant = None
            if window in plan.STORE_FAULT_MODES:
                meets, variant = plan.store_fault(self.run.seed, i, k, window)
                mode = window if meets else "pass"
            row["mode"] = mode
            if mode == "blackhole":
                while client.recv(65536):
                    pass
                return
            if mode == "bad-200-not-applied":
                self._send(client, row, 200, b"", "empty")
                return
            upstream = socket.create_connection(self.target, timeout=self.TIMEOUT_S)
            with self.lock:
                self.open_sockets.add(upstream)
            upstream.sendall(raw)
            row["forwarded"] = True
            reply = self._read_all(upstream)
            row["store_status"] = self._status_of(reply)
            row["applied"] = row["store_status"] == 200
            if row["applied"] and row["budget"] in ("reserve", "give-back"):
                row["n_after"] = count_after(reply)
            if mode == "apply-then-500":
                self._send(client, row, 500, self.INTERNAL_ERROR, "500")
            elif mode == "apply-then-bad-200":
                self._send(client, row, 200, plan.BAD_200_BODIES[variant], variant)
            else:
                if mode == "slow":
                    row["delay_s"] = plan.store_delay(self.run.seed, number)
                    time.sleep(row["delay_s"])
                row["status"] = row["store_status"]
                try:
                    client.sendall(reply)
                except OSError:
                    row["client_gone"] = True
        except OSError:
            pass
        finally:
            row["t1"] = wall_ms()
            for s in (client, upstream):
                if s is not None:
                    try:
                        s.close()
                    except OSError:
                        pass
            with self.lock:
                self.open_sockets.discard(client)
                self.open_sockets.discard(upstream)
                self.journal.append(row)

    def _send(self, client, row, status, body, what):
        """Sends the proxy's own reply in place of the store's."""
        reason = {200: "OK", 500: "Internal Server Error"}[status]
        if what == "html":
            content_type = "text/html; charset=utf-8"
        else:
            content_type = "application/x-amz-json-1.0"
        head = (f"HTTP/1.0 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
                f"x-amzn-RequestId: long-run-proxy-{row['n']}\r\nConnection: close\r\n\r\n")
        row["status"], row["body"] = status, what
        try:
            client.sendall(head.encode() + body)
        except OSError:
            row["client_gone"] = True

    def _read_request(self, client):
        """One whole HTTP request as received (bytes) and its headers (lower-case names), or None when the
        connection ended first."""
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(65536)
            if not chunk:
                return None
            data += chunk
            if len(data) > self.MAX_HEADER:
                return None
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            while not self._chunked_complete(rest):
                chunk = client.recv(65536)
                if not chunk:
                    return None
                rest += chunk
        else:
            length = int(headers.get("content-length", "0") or 0)
            while len(rest) < length:
                chunk = client.recv(65536)
                if not chunk:
                    return None
                rest += chunk
        return head + b"\r\n\r\n" + rest, headers

    @staticmethod
    def _chunked_complete(body):
        """Whether a chunked body is whole: its last (empty) chunk and the blank line that ends its trailers."""
        pos = 0
        while True:
            end = body.find(b"\r\n", pos)
            if end < 0:
                return False
            size = int(body[pos:end].split(b";")[0].strip() or b"0", 16)
            if size == 0:
                trailers = body[end + 2:]
                return trailers.startswith(b"\r\n") or b"\r\n\r\n" in trailers
            pos = end + 2 + size + 2
            if pos > len(body):
                return False

    def _read_all(self, upstream):
        """The store's whole reply: it ends the connection after it."""
        parts = []
        while True:
            data = upstream.recv(65536)
            if not data:
                return b"".join(parts)
            parts.append(data)

    @staticmethod
    def _status_of(reply):
        try:
            return int(reply.split(b" ", 2)[1])
        except (IndexError, ValueError):
            return None


# The daily budget's writes, as the function sends them (DynamoDbRecordStore.incrementBelow and decrement): one
# UpdateItem on the day's counter each, recognized by its update expression (whitespace aside).
RESERVE_UPDATE = re.compile(r"SET\s+#n\s*=\s*if_not_exists\(\s*#n\s*,\s*:zero\s*\)\s*\+\s*:one\s*,\s*"
                            r"expires_at\s*=\s*:expires")
GIVE_BACK_UPDATE = re.compile(r"ADD\s+#n\s+:minus_one")


def budget_write(body):
    """What a request to the store does to the daily budget (see StoreProxy's journal), read from its JSON body:
    {"budget", "counter", "limit"}, all None for a request that names no budget item."""
    out = {"budget": None, "counter": None, "limit": None}
    try:
        request = json.loads(body)
    except ValueError:
        return out
    if not isinstance(request, dict):
        return out
    item = request.get("Key") or request.get("Item") or {}
    pk = item.get("pk") if isinstance(item, dict) else None
    pk = pk.get("S", "") if isinstance(pk, dict) else ""
    if not pk.startswith("budget#"):
        # Any other budget item named anywhere in the request (a transaction, a batch) is still a budget write.
        if "budget#" in body.decode("utf-8", "replace"):
            out.update(budget="other", counter="?")
        return out
    out["counter"] = pk
    expression = request.get("UpdateExpression") if request.get("ConditionExpression") else None
    names = request.get("ExpressionAttributeNames") or {}
    values = request.get("ExpressionAttributeValues") or {}
    counts_n = isinstance(names, dict) and names.get("#n") == "n" and isinstance(values, dict)
    if not isinstance(expression, str) or not counts_n:
        out["budget"] = "other"
    elif RESERVE_UPDATE.fullmatch(expression.strip()) and _number(values.get(":one")) == 1:
        out["budget"] = "reserve"
        out["limit"] = _number(values.get(":limit"))
    elif GIVE_BACK_UPDATE.fullmatch(expression.strip()) and _number(values.get(":minus_one")) == -1:
        out["budget"] = "give-back"
    else:
        out["budget"] = "other"
    return out


def _number(value):
    """A DynamoDB number attribute value ({"N": "12"}) as an int, else None."""
    try:
        return int(value["N"])
    except (TypeError, KeyError, ValueError):
        return None


def count_after(reply):
    """The count a counter write's reply returns (ReturnValues UPDATED_NEW: Attributes.n), or None."""
    try:
        return _number(json.loads(reply.partition(b"\r\n\r\n")[2])["Attributes"]["n"])
    except (ValueError, KeyError, TypeError):
        return None
