#!/usr/bin/env python3
"""One measured cold start of a Lambda function, started the way its Lambda runtime starts it.

The function process is the command given after `--`: for the java21 runtime a JVM running the AWS Lambda Java
Runtime Interface Client, for the provided.al2023 runtime the function's own `bootstrap` executable (a native build).
This process plays Lambda's part for one execution environment, on 127.0.0.1 only:

* a local implementation of the Lambda Runtime API (2018-06-01): GET /runtime/invocation/next hands out
  queued events with the Lambda-Runtime-* headers, POST /runtime/invocation/{id}/response and /error record
  completion, POST /runtime/init/error records a failed init;
* a zero-latency fake of the verification API (POST /identity/phone/check-2e answers result 0);
* a zero-latency fake of Secrets Manager (POST / with X-Amz-Target secretsmanager.GetSecretValue, AWS JSON 1.1).

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

Standard library only. Every wait is bounded; the function process is killed on every way out (including SIGTERM).
"""

import argparse
import json
import os
import queue
import signal
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
            self.read_body()
            if self.path.split("?")[0] != "/identity/phone/check-2e":
                state.unexpected.append(f"api POST {self.path}")
                return self.reply(404, b'{"error":{"code":"not_found"}}')
            with state.lock:
                state.api_calls += 1
                if self.headers.get("Authorization", "").endswith("bench-token-value"):
                    state.api_authorized += 1
            self.reply(200, API_ANSWER)

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


def serve(handler_cls):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_cls)
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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--label", required=True)
    ap.add_argument("--runtime", choices=sorted(RUNTIME_ENVIRONMENT), default="java21",
                    help="the Lambda runtime whose environment the function process gets (default java21)")
    ap.add_argument("--task-root", required=True, help="the unzipped function.zip (the function process's working directory)")
    ap.add_argument("--event", required=True, help="file with the event bytes")
    ap.add_argument("--expect", required=True, help="substring every answer must contain")
    ap.add_argument("--warm", type=int, default=1000, help="warm invocations after the first")
    ap.add_argument("--new-key-each-time", action="store_true",
                    help="give every invocation's event (a JSON object) an idempotency_key of its own")
    ap.add_argument("--function-env", action="append", default=[],
                    help="KEY=VALUE for the function process; {api} and {sm} become the fakes' base URLs")
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

    event = open(args.event, "rb").read()
    state = State("bench-" + args.label, args.log)
    servers = [serve(runtime_handler(state)), serve(api_handler(state)), serve(secrets_handler(state))]
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
    for kv in args.function_env:
        key, _, value = kv.partition("=")
        env[key] = value.format(api=f"http://127.0.0.1:{api_port}", sm=f"http://127.0.0.1:{sm_port}")

    proc = None
    log = open(args.log, "wb")

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    result = {"label": args.label, "ok": False}
    if args.invoke_cpu is not None and not 0 < args.invoke_cpu <= 64:
        ap.error("--invoke-cpu must be in (0, 64]")
    try:
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
        for i in range(1 + args.warm):
            request_id = str(uuid.uuid4())
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
            if kind != "response" or rid != request_id:
                raise Failed(f"invocation {i + 1}: {kind} for {rid}: {text[:2000]}")
            if args.expect not in text:
                raise Failed(f"invocation {i + 1}: the answer lacks {args.expect!r}: {text[:2000]}")
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
            "command": command,
        })
        if state.api_calls != 1 + args.warm:
            raise Failed(f"{state.api_calls} calls to the API for {1 + args.warm} invocations")
    except Failed as e:
        result["error"] = str(e)
    finally:
        state.stopping.set()
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
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
