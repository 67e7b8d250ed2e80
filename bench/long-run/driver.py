#!/usr/bin/env python3
"""One pass of the long run: one execution environment (one JVM under the Runtime Interface Client) serving every
event of the plan, one at a time, as Lambda feeds one environment, while the fakes apply the plan's faults.

This process plays Lambda (a local Runtime API that hands each event out with its own Lambda-Runtime-Deadline-Ms)
and every service the function calls (fakes.py). It writes, under --work:

  invocations.jsonl  one row per invocation: what was sent, when its deadline was, when and what it answered
  api.jsonl          the API fake's journal, one row per request it received
  secrets.jsonl      the Secrets Manager fake's journal
  store.jsonl        the records store proxy's journal, one row per request (passes with the store)
  table.jsonl        every item of the records table at the end of the pass, read from the store directly (not
                     through the proxy): the daily budget's counters and the records
  rss.json           VmRSS/VmHWM of the JVM after every --rss-every invocations
  pass.json          the pass's settings, windows, timings and anything unexpected
  jvm.log            the function's stdout and stderr

Judging is check.py's; this only refuses to go on when the environment is gone: an init failure, an invocation
without an answer long after its deadline, the JVM's exit. Every wait is bounded; the JVM is killed on every way out.
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

import fakes
import plan

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cold-start"))
from runtime_api import Handler, read_status, serve  # noqa: E402

RUNTIME_PREFIX = "/2018-06-01/runtime"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:long-run"
STRAGGLER_WAIT_S = plan.SLOW_S + 1.0  # the fake's slow replies still to be journaled when the last invocation ends


class Failed(Exception):
    pass


class RuntimeApi:
    """Lambda's Runtime API (2018-06-01) for one environment, events handed out one at a time."""

    def __init__(self):
        self.events = queue.Queue()    # (request_id, bytes, budget_ms)
        self.done = queue.Queue()      # (request_id, kind, body, perf_ns, wall_ms)
        self.handed_out = {}           # request_id -> (perf_ns, deadline_ms)
        self.init_over = threading.Event()
        self.init_error = None
        self.stopping = threading.Event()
        self.unexpected = []
        self.server = serve(self._handler())

    @property
    def address(self):
        return f"127.0.0.1:{self.server.server_address[1]}"

    def _handler(self):
        api = self

        class Runtime(Handler):
            def do_GET(self):
                if self.path != RUNTIME_PREFIX + "/invocation/next":
                    api.unexpected.append(f"runtime GET {self.path}")
                    return self.reply(404, b'{"errorType":"NotFound"}')
                api.init_over.set()
                while not api.stopping.is_set():
                    try:
                        request_id, event, budget_ms = api.events.get(timeout=0.5)
                        break
                    except queue.Empty:
                        continue
                else:
                    return  # shutting down: the runtime is left waiting, then killed
                deadline_ms = int(time.time() * 1000) + budget_ms
                api.handed_out[request_id] = (time.perf_counter_ns(), deadline_ms)
                self.reply(200, event, headers={
                    "Lambda-Runtime-Aws-Request-Id": request_id,
                    "Lambda-Runtime-Deadline-Ms": str(deadline_ms),
                    "Lambda-Runtime-Invoked-Function-Arn": FUNCTION_ARN,
                    "Lambda-Runtime-Trace-Id": "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;"
                                               "Sampled=0",
                })

            def do_POST(self):
                body = self.read_body()
                perf, wall = time.perf_counter_ns(), time.time() * 1000.0
                parts = self.path[len(RUNTIME_PREFIX):].strip("/").split("/") \
                    if self.path.startswith(RUNTIME_PREFIX) else []
                self.reply(202, b'{"status":"OK"}')
                if parts == ["init", "error"]:
                    api.init_error = body.decode("utf-8", "replace")
                    api.init_over.set()
                elif len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
                    api.done.put((parts[1], parts[2], body, perf, wall))
                else:
                    api.unexpected.append(f"runtime POST {self.path}")

        return Runtime


def lambda_environment(runtime, args):
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "LAMBDA_TASK_ROOT": args.task_root,
        "LAMBDA_RUNTIME_DIR": os.path.dirname(os.path.abspath(__file__)),
        "AWS_LAMBDA_RUNTIME_API": runtime.address,
        "AWS_LAMBDA_FUNCTION_NAME": "long-run",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/long-run",
        "AWS_LAMBDA_LOG_STREAM_NAME": "long-run",
        "AWS_EXECUTION_ENV": "AWS_Lambda_java21",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "AKIDLONGRUNLONGRUN00",
        "AWS_SECRET_ACCESS_KEY": "long-run-secret-access-key-not-a-real-one",
        "AWS_SESSION_TOKEN": "long-run-session-token",
    }


STORE_WINDOWS = ["store-down", "store-blackhole", "store-slow"] + ["store-" + m for m in plan.STORE_FAULT_MODES]


def store_mode(i, windows):
    for name in STORE_WINDOWS:
        if plan.in_windows(i, windows[name]):
            return name[len("store-"):]
    return "pass"


def scan_table(port, table):
    """Every item of the table, read from the store directly, as {attribute: value} (numbers as int)."""
    import boto3  # installed with moto; only the passes with the store need it
    client = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                          aws_access_key_id="long-run", aws_secret_access_key="long-run")
    items, start = [], None
    while True:
        page = client.scan(TableName=table, ConsistentRead=True, **({"ExclusiveStartKey": start} if start else {}))
        for item in page["Items"]:
            row = {}
            for name, value in item.items():
                (kind, v), = value.items()
                row[name] = int(v) if kind == "N" and v.lstrip("-").isdigit() else v
            items.append(row)
        start = page.get("LastEvaluatedKey")
        if not start:
            return items


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pass-name", required=True, choices=sorted(plan.PASS_TAGS))
    ap.add_argument("--invocations", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--task-root", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--dynamodb-port", type=int, help="the records store behind the proxy (passes with the store)")
    ap.add_argument("--rss-every", type=int, default=1000)
    ap.add_argument("--function-env", action="append", default=[],
                    help="KEY=VALUE; {api}, {sm} and {store} become the fakes' base URLs, {budget} the plan's "
                         "daily budget for the pass (plan.daily_budget)")
    ap.add_argument("--pid-file")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    records = args.pass_name in plan.STORE_PASSES
    if records and not args.dynamodb_port:
        ap.error(f"the {args.pass_name} pass needs --dynamodb-port")
    os.makedirs(args.work, exist_ok=True)

    n = args.invocations
    windows = plan.windows(n)
    events = plan.events(n, args.seed, args.pass_name)
    run = fakes.Run(args.seed)
    run.known_cids = {e["cid"] for e in events}
    api = fakes.ApiFake(run, windows)
    sm = fakes.SecretsFake(run)
    proxy = fakes.StoreProxy(run, args.dynamodb_port) if records else None
    runtime = RuntimeApi()

    env = lambda_environment(runtime, args)
    urls = {"api": api.server.url, "sm": sm.url, "store": proxy.url if proxy else "",
            "budget": plan.daily_budget(n, args.seed, args.pass_name) if records else 0}
    for kv in args.function_env:
        key, _, value = kv.partition("=")
        env[key] = value.format(**urls)

    def on_term(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)

    log = open(os.path.join(args.work, "jvm.log"), "wb")
    out = open(os.path.join(args.work, "invocations.jsonl"), "w")
    meta = {"pass": args.pass_name, "invocations": n, "seed": args.seed, "windows": windows,
            "function_env": {k: env[k] for k in (kv.partition("=")[0] for kv in args.function_env)},
            "command": command, "ok": False}
    rss = []
    proc = None
    started = time.monotonic()
    try:
        proc = subprocess.Popen(command, cwd=args.task_root, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        if args.pid_file:
            with open(args.pid_file, "w") as f:
                f.write(str(proc.pid))
        limit = time.monotonic() + 120
        while not runtime.init_over.wait(0.05):
            if proc.poll() is not None:
                raise Failed(f"the JVM exited with {proc.returncode} before asking for an event")
            if time.monotonic() > limit:
                raise Failed("no /next within 120 s")
        if runtime.init_error is not None:
            raise Failed(f"init error: {runtime.init_error[:2000]}")
        meta["init_s"] = time.monotonic() - started

        refused = windows["api-refused"]
        throttles = {first: seconds for first, seconds in windows["sm-throttled"]}
        for e in events:
            i = e["i"]
            # Phase changes happen between invocations, while no request is in flight.
            if any(first == i for first, _ in refused):
                api.server.close()
                time.sleep(0.1)  # the function's pool sees its connections shut before the next event
            if any(end == i for _, end in refused):
                api.server.open()
            if i == windows["token-rotation"]:
                run.rotated = True
            if i in throttles:
                sm.throttle_for(throttles[i])
            if proxy:
                mode = store_mode(i, windows)
                if mode != proxy.mode:
                    proxy.set_mode(mode)
                    time.sleep(0.1)
            run.index = i

            request_id = str(uuid.uuid4())
            runtime.events.put((request_id, e["payload"], e["budget_ms"]))
            wait_s = e["budget_ms"] / 1000.0 + 10
            try:
                rid, kind, body, perf, wall = runtime.done.get(timeout=wait_s)
            except queue.Empty:
                raise Failed(f"invocation {i}: no answer {wait_s:.0f} s after it was handed out "
                             f"(JVM {'running' if proc.poll() is None else 'exited ' + str(proc.returncode)})")
            if rid != request_id:
                raise Failed(f"invocation {i}: an answer for {rid}, not for {request_id}")
            handed_perf, deadline_ms = runtime.handed_out.pop(request_id)
            row = {k: e[k] for k in ("i", "cid", "cid_header", "source", "kind", "route", "key", "person", "masked",
                                     "budget_ms", "lang")}
            row.update(rid=rid, deadline_ms=deadline_ms, done_ms=round(wall, 1),
                       latency_ms=round((perf - handed_perf) / 1e6, 3), post=kind, body=body.decode("utf-8", "replace"))
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            if i == 0 or (i + 1) % args.rss_every == 0:
                status = read_status(proc.pid)
                rss.append({"after": i + 1, "rss_kb": status.get("VmRSS"), "hwm_kb": status.get("VmHWM"),
                            "t_s": round(time.monotonic() - started, 1)})
                print(f"[{args.pass_name}] {i + 1}/{n} invocations, RSS {status.get('VmRSS', 0) / 1024:.0f} MiB, "
                      f"{time.monotonic() - started:.0f} s", flush=True)
            if proc.poll() is not None:
                raise Failed(f"the JVM exited with {proc.returncode} after invocation {i}")
        meta["run_s"] = time.monotonic() - started
        time.sleep(STRAGGLER_WAIT_S)
        if records:
            try:
                table = scan_table(args.dynamodb_port, env["VERIFY_RECORDS_TABLE"])
            except Exception as e:  # noqa: BLE001  whatever boto3 raises, the pass cannot be judged without it
                raise Failed(f"the records table could not be read at the end: {type(e).__name__}: {e}")
            with open(os.path.join(args.work, "table.jsonl"), "w") as f:
                for item in sorted(table, key=lambda item: item["pk"]):
                    f.write(json.dumps(item) + "\n")
        meta["ok"] = True
    except Failed as failure:
        meta["error"] = str(failure)
    finally:
        runtime.stopping.set()
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        out.close()
        log.close()
        meta["unexpected"] = run.unexpected + runtime.unexpected
        for name, rows in (("api", api.journal), ("secrets", sm.journal), ("store", proxy.journal if proxy else [])):
            with open(os.path.join(args.work, name + ".jsonl"), "w") as f:
                for r in sorted(rows, key=lambda r: r.get("t0", r.get("t", 0))):
                    f.write(json.dumps(r) + "\n")
        with open(os.path.join(args.work, "rss.json"), "w") as f:
            json.dump(rss, f, indent=1)
        with open(os.path.join(args.work, "pass.json"), "w") as f:
            json.dump(meta, f, indent=1, ensure_ascii=False)
    if not meta["ok"]:
        sys.stderr.write(f"[{args.pass_name}] FAILED: {meta['error']}\n")
        sys.exit(1)
    print(f"[{args.pass_name}] {n} invocations in {meta['run_s']:.0f} s", flush=True)


if __name__ == "__main__":
    main()
