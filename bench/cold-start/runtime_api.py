#!/usr/bin/env python3
"""One measured cold start of a Lambda function, started the way its Lambda runtime starts it.

The function process is the command given after `--`: for the java21 runtime a JVM running the AWS Lambda Java
Runtime Interface Client, for the provided.al2023 runtime the function's own `bootstrap` executable (a native build).
This process plays Lambda's part for one execution environment, on 127.0.0.1 only:

* a local implementation of the Lambda Runtime API (2018-06-01): GET /runtime/invocation/next hands out
  queued events with the Lambda-Runtime-* headers, POST /runtime/invocation/{id}/response and /error record
  completion, POST /runtime/init/error records a failed init;
* a zero-latency fake of the verification API (POST /identity/phone/check-2e answers result 0, or result 1 for a
  mobile number ending in 1, so that a run can hold both consistent and inconsistent answers);
* a zero-latency fake of Secrets Manager (POST / with X-Amz-Target secretsmanager.GetSecretValue, AWS JSON 1.1);
* with --records-table, a local DynamoDB engine (moto's server, one request at a time: the tests'
  function/src/test/python/serial_moto_server.py) with the records table created as template.yaml creates it.

With --tls-cert and --tls-key the fakes the function calls (API, Secrets Manager, DynamoDB) serve HTTPS with that
certificate, as the real services do, so the run goes through the function's TLS code; the Runtime API stays plain
HTTP, as Lambda's is. The certificate is the caller's throwaway one: the function process trusts it only through what
the caller passes it (e.g. JAVA_TOOL_OPTIONS=-Djavax.net.ssl.trustStore=...).

With --events the invocations go through a list of cases in turn (each an event, the substring its answer must
contain and whether it calls the API), instead of one event: API Gateway and direct events, answers of each kind,
refused inputs. A `{request_id}` in an event becomes the invocation's request id (a fresh idempotency key).

With --invoke-cpu F the process gets Lambda's CPU: the init unthrottled, and from its first /next (the init's end)
at most F of one CPU, by a CFS quota on a cgroup of its own. AWS's guide to Java on Lambda: an on-demand function has
a full, unthrottled vCPU during its init, and otherwise CPU in proportion to its memory (1,769 MB = one vCPU); so
work moved from the first invocation into the init gets faster, not just earlier.

It starts the function process (ports are passed in its environment, with the variables --runtime's Lambda
runtime sets), timestamps the process start (just before exec), the first /next (= init done), every hand-out and
every response, feeds the events one at a time as Lambda does for one environment, reads the process's peak RSS
(VmHWM) after the last answer, stops it and writes the figures as JSON. Every answer must contain --expect: a
benchmark of a function that errors is worthless, so any error, missing substring, init failure or time-out exits
non-zero.

Standard library only (boto3, which moto brings, only with --records-table). Every wait is bounded; the function
process (and the DynamoDB engine) is stopped on every way out (including SIGTERM): SIGTERM first, then, after
--stop-timeout seconds, SIGKILL (a JVM writing an AOT cache at exit needs more than the default).
"""

import argparse
import json
import os
import queue
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RUNTIME_PREFIX = "/2018-06-01/runtime"
# What differs between the runtimes' environments: Lambda names a managed runtime in AWS_EXECUTION_ENV and leaves it
# out for OS-only runtimes such as provided.al2023, whose bootstrap is the function's own executable.
RUNTIME_ENVIRONMENT = {
    "java21": {"AWS_EXECUTION_ENV": "AWS_Lambda_java21"},
    "provided.al2023": {},
}
API_ANSWER = b'{"result":"0","description":"ok","trace_id":"b"}'
API_ANSWER_INCONSISTENT = b'{"result":"1","description":"inconsistent","trace_id":"b"}'
HERE = os.path.dirname(os.path.abspath(__file__))
MOTO_SERVER = os.path.join(HERE, "..", "..", "function", "src", "test", "python", "serial_moto_server.py")
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:{name}"


def now_ns():
    return time.perf_counter_ns()


class Handler(BaseHTTPRequestHandler):
    """Keep-alive HTTP/1.1, each reply written with one send (no Nagle/delayed-ACK stalls), no access log."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    state = None  # set on a subclass per server

    def log_message(self, fmt, *args):
        pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def reply(self, status, body=b"", content_type="application/json", headers=None):
        reason = {200: "OK", 202: "Accepted", 400: "Bad Request", 404: "Not Found", 410: "Gone"}.get(status, "")
        lines = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        self.wfile.flush()


class State:
    def __init__(self, function_name, log):
        self.function_name = function_name
        self.log = log
        self.lock = threading.Lock()
        self.events = queue.Queue()        # (request_id, bytes) handed out by /next
        self.done = queue.Queue()          # (request_id, kind, body, t_ns) from response/error posts
        self.first_next_ns = None
        self.handed_out = {}               # request_id -> t_ns when the event was written to the runtime
        self.init_error = None
        self.api_calls = 0
        self.api_authorized = 0
        self.sm_calls = 0
        self.unexpected = []               # requests no fake knows: the function did something unplanned
        self.stopping = threading.Event()
        self.init_over = threading.Event()  # set by the first /next or by an init error
        self.throttle = None               # the CpuQuota applied to the function process at its first /next
        self.pid = None


class CpuQuota:
    """A cgroup (v1 `cpu` controller, or v2 with `cpu` enabled) whose CFS quota caps its processes at `fraction` of
    one CPU. Created before the function starts; the process is moved into it when its init ends."""

    PERIOD_US = 100_000  # the kernel's default CFS period; Lambda's own is not published

    def __init__(self, name, fraction):
        quota = max(1000, int(self.PERIOD_US * fraction))
        v1 = "/sys/fs/cgroup/cpu"
        v2 = "/sys/fs/cgroup"
        if os.path.isfile(os.path.join(v1, "cpu.cfs_quota_us")):
            self.path = os.path.join(v1, name)
            os.makedirs(self.path, exist_ok=True)
            self._write("cpu.cfs_period_us", str(self.PERIOD_US))
            self._write("cpu.cfs_quota_us", str(quota))
        elif "cpu" in open(os.path.join(v2, "cgroup.subtree_control")).read().split():
            self.path = os.path.join(v2, name)
            os.makedirs(self.path, exist_ok=True)
            self._write("cpu.max", f"{quota} {self.PERIOD_US}")
        else:
            raise Failed("--invoke-cpu needs a writable cgroup cpu controller (v1 at /sys/fs/cgroup/cpu, or v2 with"
                         " cpu in /sys/fs/cgroup/cgroup.subtree_control); run as root")
        self.fraction = quota / self.PERIOD_US

    def _write(self, name, value):
        with open(os.path.join(self.path, name), "w") as f:
            f.write(value)

    def add(self, pid):
        """Moves the whole process, every thread (the JIT's and the GC's too), as cgroup.procs does."""
        self._write("cgroup.procs", str(pid))

    def remove(self):
        """Removes the cgroup once its process is gone (a cgroup with processes cannot be removed)."""
        for _ in range(50):
            try:
                os.rmdir(self.path)
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.1)


def runtime_handler(state):
    class RuntimeApi(Handler):
        def do_GET(self):
            if self.path != RUNTIME_PREFIX + "/invocation/next":
                state.unexpected.append(f"runtime GET {self.path}")
                return self.reply(404, b'{"errorType":"NotFound"}')
            t = now_ns()
            with state.lock:
                if state.first_next_ns is None:
                    state.first_next_ns = t
                    if state.throttle is not None:
                        # The init is over: from now on the process runs on its share of the CPU, before it is
                        # handed its first event.
                        state.throttle.add(state.pid)
                    state.init_over.set()
            while not state.stopping.is_set():
                try:
                    request_id, event = state.events.get(timeout=0.5)
                    break
                except queue.Empty:
                    continue
            else:
                # Shutting down: leave the runtime waiting (Lambda would freeze or kill it); it is killed next.
                return
            deadline_ms = int(time.time() * 1000) + 10_000
            headers = {
                "Lambda-Runtime-Aws-Request-Id": request_id,
                "Lambda-Runtime-Deadline-Ms": str(deadline_ms),
                "Lambda-Runtime-Invoked-Function-Arn": FUNCTION_ARN.format(name=state.function_name),
                "Lambda-Runtime-Trace-Id": "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0",
            }
            state.handed_out[request_id] = now_ns()
            self.reply(200, event, headers=headers)

        def do_POST(self):
            body = self.read_body()
            t = now_ns()
            parts = self.path[len(RUNTIME_PREFIX):].strip("/").split("/") if self.path.startswith(RUNTIME_PREFIX) else []
            if parts == ["init", "error"]:
                state.init_error = body.decode("utf-8", "replace")
                state.init_over.set()
                self.reply(202, b'{"status":"OK"}')
                state.done.put((None, "init-error", body, t))
                return
            if len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
                self.reply(202, b'{"status":"OK"}')
                state.done.put((parts[1], parts[2], body, t))
                return
            state.unexpected.append(f"runtime POST {self.path}")
            self.reply(404, b'{"errorType":"NotFound"}')

    return RuntimeApi


def api_handler(state):
    class VerificationApi(Handler):
        def do_POST(self):
            body = self.read_body()
            if self.path.split("?")[0] != "/identity/phone/check-2e":
                state.unexpected.append(f"api POST {self.path}")
                return self.reply(404, b'{"error":{"code":"not_found"}}')
            with state.lock:
                state.api_calls += 1
                if self.headers.get("Authorization", "").endswith("bench-token-value"):
                    state.api_authorized += 1
            self.reply(200, API_ANSWER_INCONSISTENT if mobile_of(body).endswith("1") else API_ANSWER)

        def do_GET(self):
            state.unexpected.append(f"api GET {self.path}")
            self.reply(404, b"{}")

    return VerificationApi


def secrets_handler(state):
    class SecretsManager(Handler):
        def do_POST(self):
            body = self.read_body()
            target = self.headers.get("X-Amz-Target", "")
            if self.path != "/" or target != "secretsmanager.GetSecretValue":
                state.unexpected.append(f"secrets POST {self.path} {target}")
                return self.reply(400, b'{"__type":"InvalidRequestException","message":"unexpected"}',
                                  content_type="application/x-amz-json-1.1")
            try:
                secret_id = json.loads(body or b"{}").get("SecretId")
            except ValueError:
                secret_id = None
            if secret_id != "bench-token":
                state.unexpected.append(f"secrets GetSecretValue {secret_id!r}")
                return self.reply(400, b'{"__type":"ResourceNotFoundException","message":"no such secret"}',
                                  content_type="application/x-amz-json-1.1")
            with state.lock:
                state.sm_calls += 1
            self.reply(200, b'{"ARN":"arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-token-AbCdEf",'
                            b'"Name":"bench-token","SecretString":"{\\"token\\":\\"bench-token-value\\",'
                            b'\\"hash_key\\":\\"YmVuY2gtcmVjb3Jkcy1oYXNoLWtleS1vZi0zMi1jaGFycw\\"}",'
                            b'"VersionId":"00000000-0000-0000-0000-000000000000","VersionStages":["AWSCURRENT"],'
                            b'"CreatedDate":1.7E9}',
                       content_type="application/x-amz-json-1.1")

    return SecretsManager


def mobile_of(body):
    """The mobile number of a plaintext API request, or "" (an encrypted or unreadable body)."""
    try:
        mobile = json.loads(body or b"{}").get("mobile")
    except (ValueError, AttributeError):
        return ""
    return mobile if isinstance(mobile, str) else ""


class TlsServer(ThreadingHTTPServer):
    """HTTPS: each connection's handshake in its own thread, so one slow handshake holds up no other connection."""

    tls = None

    def finish_request(self, request, client_address):
        try:
            request = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # a failed handshake: the client sees it; nothing was served
        self.RequestHandlerClass(request, client_address, self)


def serve(handler_cls, tls=None):
    if tls is None:
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler_cls)
    else:
        server = TlsServer(("127.0.0.1", 0), handler_cls)
        server.tls = tls
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    return server


def read_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS"):
                    out[key] = int(value.split()[0])  # kB
    except OSError:
        pass
    return out


def percentile(sorted_values, p):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


class Failed(Exception):
    pass


class Case:
    """One kind of invocation: the event's bytes, the substring its answer must contain, the API calls it makes, and
    whether the answer is an invocation error (the function refusing a direct caller's request throws)."""

    def __init__(self, event, expect, api_calls, error=False):
        self.event, self.expect, self.api_calls, self.error = event, expect, api_calls, error

    @staticmethod
    def read_list(path):
        """The cases of an --events file: a JSON list of {"event": ..., "expect": "...", "api_calls": 0 or 1} with an
        optional "error": true."""
        with open(path, encoding="utf-8") as f:
            items = json.load(f)
        if not isinstance(items, list) or not items:
            raise SystemExit(f"{path}: a non-empty JSON list of cases is expected")
        cases = []
        for n, item in enumerate(items, 1):
            if not (isinstance(item, dict) and "event" in item and isinstance(item.get("expect"), str)
                    and item.get("api_calls") in (0, 1) and item.get("error", False) in (True, False)):
                raise SystemExit(f"{path}: case {n} needs event, expect (a string), api_calls (0 or 1) and at most"
                                 f" error (true or false)")
            event = item["event"]
            text = event if isinstance(event, str) else json.dumps(event, ensure_ascii=False, separators=(",", ":"))
            cases.append(Case(text.encode("utf-8"), item["expect"], item["api_calls"], item.get("error", False)))
        return cases


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalDynamoDb:
    """moto's server on 127.0.0.1, one request at a time (HTTPS with the fakes' certificate when given), holding the
    records table as template.yaml creates it: key pk, on-demand billing, items expiring at expires_at."""

    def __init__(self, log_path, python, tls_files):
        port = free_port()
        self.url = f"{'https' if tls_files else 'http'}://127.0.0.1:{port}"
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen([python, MOTO_SERVER, "127.0.0.1", str(port), *(tls_files or ())],
                                     stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.log_path, self.tls_files = log_path, tls_files

    def create(self, table):
        """Waits for the engine to answer, then creates the table."""
        log_path, tls_files = self.log_path, self.tls_files
        try:
            import boto3
            from botocore.config import Config
        except ImportError as e:
            raise Failed(f"--records-table needs boto3 (moto brings it): {e}")
        client = boto3.client("dynamodb", endpoint_url=self.url, region_name="us-east-1",
                              aws_access_key_id="bench", aws_secret_access_key="bench",
                              verify=tls_files[0] if tls_files else None,
                              config=Config(connect_timeout=1, read_timeout=5, retries={"max_attempts": 1}))
        limit = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise Failed(f"the local DynamoDB engine (moto) exited at start; see {log_path}")
            try:
                client.list_tables()
                break
            except Exception:
                if time.monotonic() > limit:
                    raise Failed(f"the local DynamoDB engine (moto) did not answer within 30 s; see {log_path}")
                time.sleep(0.3)
        client.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        client.update_time_to_live(TableName=table,
                                   TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"})

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.log.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--label", required=True)
    ap.add_argument("--runtime", choices=sorted(RUNTIME_ENVIRONMENT), default="java21",
                    help="the Lambda runtime whose environment the function process gets (default java21)")
    ap.add_argument("--task-root", required=True, help="the unzipped function.zip (the function process's working directory)")
    ap.add_argument("--event", help="file with the event bytes (or --events)")
    ap.add_argument("--expect", help="substring every answer to --event must contain")
    ap.add_argument("--events", help="JSON file with a list of cases to go through in turn, instead of --event")
    ap.add_argument("--warm", type=int, default=1000, help="warm invocations after the first")
    ap.add_argument("--new-key-each-time", action="store_true",
                    help="give every invocation's event (a JSON object) an idempotency_key of its own")
    ap.add_argument("--function-env", action="append", default=[],
                    help="KEY=VALUE for the function process; {api}, {sm} and {dynamodb} become the fakes' base URLs")
    ap.add_argument("--tls-cert", help="PEM certificate the fakes the function calls serve HTTPS with (with --tls-key)")
    ap.add_argument("--tls-key", help="PEM private key of --tls-cert")
    ap.add_argument("--records-table", help="start a local DynamoDB engine holding this table ({dynamodb})")
    ap.add_argument("--moto-python", default=sys.executable, help="the Python that runs moto's server")
    ap.add_argument("--stop-timeout", type=float, default=5.0,
                    help="seconds the function process gets to exit after SIGTERM before it is killed")
    ap.add_argument("--init-timeout", type=float, default=60.0)
    ap.add_argument("--invoke-timeout", type=float, default=15.0)
    ap.add_argument("--invoke-cpu", type=float,
                    help="after the init, cap the function process at this fraction of one CPU (Lambda: memory/1769 MB)")
    ap.add_argument("--log", required=True, help="file for the function process's stdout and stderr")
    ap.add_argument("--pid-file", help="where to write the function process's pid (for the caller's trap)")
    ap.add_argument("--out", required=True)
    ap.add_argument("command", nargs=argparse.REMAINDER, help="-- java ... or -- .../bootstrap (the function process)")
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("no function command after --")
    if args.events:
        if args.event or args.expect:
            ap.error("--events replaces --event and --expect")
        cases = Case.read_list(args.events)
    elif args.event and args.expect:
        cases = [Case(open(args.event, "rb").read(), args.expect, 1)]
    else:
        ap.error("--event and --expect, or --events, are required")
    if bool(args.tls_cert) != bool(args.tls_key):
        ap.error("--tls-cert and --tls-key go together")
    tls = None
    tls_files = None
    if args.tls_cert:
        tls_files = (os.path.abspath(args.tls_cert), os.path.abspath(args.tls_key))
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(*tls_files)
    scheme = "https" if tls else "http"

    state = State("bench-" + args.label, args.log)
    servers = [serve(runtime_handler(state)), serve(api_handler(state), tls), serve(secrets_handler(state), tls)]
    runtime_port, api_port, sm_port = (s.server_address[1] for s in servers)

    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "LAMBDA_TASK_ROOT": args.task_root,
        "LAMBDA_RUNTIME_DIR": os.path.dirname(os.path.abspath(__file__)),
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{runtime_port}",
        "AWS_LAMBDA_FUNCTION_NAME": state.function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/" + state.function_name,
        "AWS_LAMBDA_LOG_STREAM_NAME": "bench",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "AKIDBENCHBENCHBENCH0",
        "AWS_SECRET_ACCESS_KEY": "bench-secret-access-key-not-a-real-one",
        "AWS_SESSION_TOKEN": "bench-session-token",
    }
    env.update(RUNTIME_ENVIRONMENT[args.runtime])

    proc = None
    dynamodb = None
    log = open(args.log, "wb")

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    result = {"label": args.label, "ok": False}
    if args.invoke_cpu is not None and not 0 < args.invoke_cpu <= 64:
        ap.error("--invoke-cpu must be in (0, 64]")
    try:
        if args.records_table:
            dynamodb = LocalDynamoDb(args.log + ".dynamodb.log", args.moto_python, tls_files)
            dynamodb.create(args.records_table)
        urls = {"api": f"{scheme}://127.0.0.1:{api_port}", "sm": f"{scheme}://127.0.0.1:{sm_port}",
                "dynamodb": dynamodb.url if dynamodb else "{dynamodb}"}
        for kv in args.function_env:
            key, _, value = kv.partition("=")
            env[key] = value.format(**urls)
        if args.invoke_cpu is not None:
            state.throttle = CpuQuota(f"cold-start-bench-{os.getpid()}", args.invoke_cpu)
            result["invoke_cpu"] = state.throttle.fraction
        start_ns = now_ns()
        proc = subprocess.Popen(command, cwd=args.task_root, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        state.pid = proc.pid  # set before the JVM can have started, let alone asked for an event
        if args.pid_file:
            with open(args.pid_file, "w") as f:
                f.write(str(proc.pid))

        # Init: until the first /next, a reported init error, the process's exit, or the time limit. The handler
        # thread takes the timestamp; this loop only wakes every 50 ms so as not to take CPU from the function.
        limit = time.monotonic() + args.init_timeout
        while not state.init_over.wait(0.05):
            if proc.poll() is not None:
                raise Failed(f"the function process exited with {proc.returncode} before asking for an event")
            if time.monotonic() > limit:
                raise Failed(f"no /next within {args.init_timeout} s")
        if state.init_error is not None:
            raise Failed(f"init error reported by the runtime: {state.init_error[:2000]}")
        init_ms = (state.first_next_ns - start_ns) / 1e6

        latencies = []
        expected_api_calls = 0
        answers = {}
        for i in range(1 + args.warm):
            request_id = str(uuid.uuid4())
            case = cases[i % len(cases)]
            expected_api_calls += case.api_calls
            event = case.event.replace(b"{request_id}", request_id.encode("ascii"))
            if args.new_key_each_time:
                keyed = dict(json.loads(event), idempotency_key="bench-" + request_id)
                state.events.put((request_id, json.dumps(keyed, ensure_ascii=False).encode("utf-8")))
            else:
                state.events.put((request_id, event))
            try:
                rid, kind, body, t = state.done.get(timeout=args.invoke_timeout)
            except queue.Empty:
                raise Failed(f"invocation {i + 1}: no answer within {args.invoke_timeout} s"
                             f" (process {'running' if proc.poll() is None else 'exited ' + str(proc.returncode)})")
            text = body.decode("utf-8", "replace")
            if kind != ("error" if case.error else "response") or rid != request_id:
                raise Failed(f"invocation {i + 1}: {kind} for {rid}: {text[:2000]}")
            if case.expect not in text:
                raise Failed(f"invocation {i + 1}: the answer lacks {case.expect!r}: {text[:2000]}")
            answers[case.expect] = answers.get(case.expect, 0) + 1
            latencies.append((t - state.handed_out[request_id]) / 1e6)
            if i == 0:
                result["first_answer"] = text
        status = read_status(proc.pid)
        if proc.poll() is not None:
            raise Failed(f"the function process exited with {proc.returncode} during the run")
        if state.unexpected:
            raise Failed(f"unexpected requests: {state.unexpected[:10]}")
        warm = sorted(latencies[1:])
        result.update({
            "ok": True,
            "init_ms": init_ms,
            "first_invocation_ms": latencies[0],
            "warm_count": len(warm),
            "warm_p50_ms": percentile(warm, 50),
            "warm_p99_ms": percentile(warm, 99),
            "warm_max_ms": warm[-1] if warm else None,
            "warm_latencies_ms": [round(x, 3) for x in latencies[1:]],  # in order, for looking at the tail
            "max_rss_kb": status.get("VmHWM"),
            "rss_at_end_kb": status.get("VmRSS"),
            "api_calls": state.api_calls,
            "api_calls_with_token": state.api_authorized,
            "secrets_manager_calls": state.sm_calls,
            "answers": answers,
            "command": command,
        })
        if state.api_calls != expected_api_calls:
            raise Failed(f"{state.api_calls} calls to the API for {1 + args.warm} invocations that make"
                         f" {expected_api_calls}")
    except Failed as e:
        result["error"] = str(e)
    finally:
        state.stopping.set()
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=args.stop_timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if proc is not None:
            result["exit_code"] = proc.returncode
        if dynamodb is not None:
            dynamodb.stop()
        for s in servers:
            s.shutdown()
            s.server_close()
        if state.throttle is not None:
            state.throttle.remove()
        log.close()
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1, ensure_ascii=False)
    if not result["ok"]:
        sys.stderr.write(f"[{args.label}] FAILED: {result['error']}\n")
        try:
            with open(args.log, "rb") as f:
                tail = f.read()[-4000:].decode("utf-8", "replace")
            sys.stderr.write(f"--- last lines of {args.log} ---\n{tail}\n")
        except OSError:
            pass
        sys.exit(1)
    warm = (f"warm p50 {result['warm_p50_ms']:.2f} ms p99 {result['warm_p99_ms']:.2f} ms, "
            if result["warm_count"] else "")
    print(f"[{args.label}] init {result['init_ms']:.0f} ms, first invocation {result['first_invocation_ms']:.1f} ms, "
          f"{warm}max RSS {result['max_rss_kb'] / 1024:.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
