#!/usr/bin/env python3
"""Turns the raw figures of bench/cold-start/run.sh (one JSON per cold start) into its results: for the JVM packages
(`report.py jvm`) bench/results/cold-start.md, for the native ones (`report.py native`) cold-start-native.md."""

import argparse
import json
import os
import collections
import platform
import re
import statistics
import subprocess

from runtime_api import percentile  # the same nearest-rank percentile as the warm p50/p99

TARGET_ZIP_BYTES = 20_000_000  # the JVM package limit: <= 20 MB


def machine():
    mem_kb = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal:")), 0)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    return {
        "nproc": os.cpu_count(),
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "cpu": cpu,
        "kernel": platform.release(),
        "arch": platform.machine(),
    }


def java_version(java):
    out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    return [l for l in (out.stderr or out.stdout).splitlines() if l.strip()]


def load(raw, label):
    with open(os.path.join(raw, label + ".json")) as f:
        r = json.load(f)
    if not r.get("ok"):
        raise SystemExit(f"{label} did not succeed: {r.get('error')}")
    return r


def class_census(path):
    """Classes loaded before the first invocation and during it, from -Xlog:class+load:file=...:uptime.

    The RIC loads its LambdaContext class when it builds the first invocation's context: that marks the end of
    init. The first invocation ends with the last class loaded (the census run serves no other invocation)."""
    rows = []
    from_task = 0  # loaded from the task root (the function's jars and classes) rather than from the JDK
    with open(path) as f:
        for line in f:
            m = re.match(r"\[(\d+\.\d+)s\] (\S+) source: (.*)", line)
            if m:
                rows.append((float(m.group(1)), m.group(2)))
                from_task += "/task/" in m.group(3)
    start = next((t for t, c in rows if c == "com.amazonaws.services.lambda.runtime.api.client.api.LambdaContext"), None)
    if start is None:
        return None
    during = [c for t, c in rows if t >= start]

    def group(name):
        parts = name.split(".")
        return ".".join(parts[:4] if parts[0] in ("software", "cloud") else parts[:3])

    top = collections.Counter(group(c) for c in during).most_common(6)
    return {"init": len(rows) - len(during), "first": len(during), "top": top, "all": len(rows), "task": from_task}


NMT_ROWS = [  # (row, NMT categories summed)
    ("Java heap", ("Java Heap",)),
    ("class metadata (metaspace, class space)", ("Metaspace", "Class")),
    ("symbols", ("Symbol",)),
    ("compiled code", ("Code",)),
    ("thread stacks", ("Thread",)),
]


def nmt_mib(committed, categories):
    return sum(committed.get(k, 0) for k in categories) / (1024 * 1024)


def native_memory(path):
    """Committed bytes per category from the summary -XX:+PrintNMTStatistics writes at exit, or None."""
    committed = {}
    try:
        with open(path, errors="replace") as f:
            for line in f:
                m = re.match(r"-\s+(.+?) \(reserved=\d+, committed=(\d+)", line)
                if m:
                    committed[m.group(1).strip()] = int(m.group(2))
                t = re.match(r"Total: reserved=\d+, committed=(\d+)", line)
                if t:
                    committed["Total"] = int(t.group(1))
    except FileNotFoundError:
        return None
    return committed if "Total" in committed else None


def compilations(log_path, first_done_ms):
    """JIT compilations printed by -XX:+PrintCompilation (ms since JVM start): in all, and after the first answer."""
    total = after = 0
    try:
        with open(log_path, errors="replace") as f:
            for line in f:
                m = re.match(r"\s*(\d+)\s+\d+\s", line)
                if m:
                    total += 1
                    after += int(m.group(1)) > first_done_ms
    except FileNotFoundError:
        return None
    return total, after


STEADY_AFTER = 20  # warm invocations still running interpreted or first-compiled code


def add_warm_phases(r):
    """The warm latencies split into the first few after the first invocation and the steady state after them."""
    lat = r.get("warm_latencies_ms") or []
    steady = sorted(lat[STEADY_AFTER:])
    r["steady_p99_ms"] = percentile(steady, 99) if steady else float("nan")
    r["early_median_ms"] = statistics.median(lat[:10]) if lat else float("nan")


def med(runs, key):
    return statistics.median(r[key] for r in runs)


def verdict(ok):
    return "**PASS**" if ok else "**FAIL**"


def spread(runs, key, fmt, div=1.0):
    """min–max of one figure over the cold starts."""
    vals = [r[key] / div for r in runs]
    return f"{min(vals):{fmt}}–{max(vals):{fmt}}"


def floor_targets(init_f, init_l, caller_f, caller_l, p99_f, p99_l, rss_f, rss_l):
    """The function against the floor measured in the same run: (key, met, target in words). The first caller's cold
    start is init + first invocation: what the first caller of a new container waits for."""
    return [
        ("init", init_f <= 1.5 * init_l, f"≤ 1.5 × floor = {1.5 * init_l:.0f} ms"),
        ("caller", caller_f <= 1.3 * caller_l, f"≤ 1.3 × floor = {1.3 * caller_l:.0f} ms"),
        ("p99", p99_f <= p99_l + 2, f"≤ floor + 2 ms = {p99_l + 2:.2f} ms"),
        ("rss", rss_f <= 1.3 * rss_l, f"≤ 1.3 × floor = {1.3 * rss_l:.0f} MiB"),
    ]


def cpu_lines(a):
    """Whose CPU the runs had: the machine's for both phases, or Lambda's model (--invoke-cpu)."""
    if not a.invoke_cpu:
        return ["CPU: the machine's, the same for the init and the invocations. Lambda gives an invocation less (see",
                "`run.sh --lambda-cpu`), so here work moved from the first invocation into the init only moves."]
    quota = round(a.invoke_cpu * 100_000)
    return [f"CPU as Lambda gives it to a 512 MB function (`run.sh --lambda-cpu`): the init unthrottled, and from the first",
            f"`/next` on every thread of the process (the JIT's and the GC's too) capped at {a.invoke_cpu:.3f} of one CPU,",
            f"a CFS quota of {quota:,} µs per 100,000 µs on a cgroup of its own: one vCPU at 1,769 MB, and an on-demand",
            "init on a full, unthrottled vCPU (AWS, *Effectively running Java on Serverless*). Lambda's quota period is",
            "not published; with this one an invocation that finds the period's share used (most often by the JIT's",
            "thread) waits for the next period, so the warm percentiles show the quota more than the code and are",
            "judged only on the machine's CPU (`bench/results/cold-start.md`)."]


def judged(checks, a):
    """The targets that mean something under the run's CPU: not warm p99 under the quota (see cpu_lines)."""
    return [c for c in checks if not (a.invoke_cpu and c[0] == "p99")]


def machine_lines(a):
    m = machine()
    return [f"Machine: {m['nproc']} cores, {m['memory']}, {m['arch']}, {m['cpu']}, Linux {m['kernel']}; shared with other",
            f"builds (load average {a.load_start} at the start, {a.load_end} at the end). Run started {a.started}."]


def every_cold_start(runs):
    """A folded table of each cold start's own figures, in the order they ran."""
    lines = ["<details><summary>Every cold start</summary>", "",
             "| run | init ms | first ms | init + first ms | warm p50 ms | warm p99 ms | warm max ms | max RSS MiB | API calls | Secrets Manager calls |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {r['label']} | {r['init_ms']:.0f} | {r['first_invocation_ms']:.1f} | "
                     f"{r['init_ms'] + r['first_invocation_ms']:.0f} | {r['warm_p50_ms']:.2f} | "
                     f"{r['warm_p99_ms']:.2f} | {r['warm_max_ms']:.2f} | {r['max_rss_kb'] / 1024:.0f} | "
                     f"{r['api_calls']} | {r['secrets_manager_calls']} |")
    return lines + ["", "</details>"]


def write(out, lines):
    text = "\n".join(lines) + "\n"
    with open(out, "w") as f:
        f.write(text)


def jvm_report(a):
    fn = [load(a.raw, f"function-{i}") for i in range(1, a.rounds + 1)]
    fl = [load(a.raw, f"floor-{i}") for i in range(1, a.rounds + 1)]
    jv = java_version(a.java)
    fz, flz = os.path.getsize(a.function_zip), os.path.getsize(a.floor_zip)

    init_f, init_l = med(fn, "init_ms"), med(fl, "init_ms")
    first_f, first_l = med(fn, "first_invocation_ms"), med(fl, "first_invocation_ms")
    p50_f, p50_l = med(fn, "warm_p50_ms"), med(fl, "warm_p50_ms")
    p99_f, p99_l = med(fn, "warm_p99_ms"), med(fl, "warm_p99_ms")
    rss_f, rss_l = med(fn, "max_rss_kb") / 1024, med(fl, "max_rss_kb") / 1024

    for r in fn + fl:
        r["first_caller_ms"] = r["init_ms"] + r["first_invocation_ms"]
        add_warm_phases(r)
    caller_f, caller_l = med(fn, "first_caller_ms"), med(fl, "first_caller_ms")
    census = {v: class_census(os.path.join(a.raw, f"classes-{v}.txt")) for v in ("function", "floor")}
    dfl = [load(a.raw, f"defaults-{i}") for i in range(1, a.rounds + 1)]
    rec = [load(a.raw, f"records-{i}") for i in range(1, a.rounds + 1)]
    unprimed = [load(a.raw, f"unprimed-{i}") for i in range(1, a.rounds + 1)]
    nmt = {v: native_memory(os.path.join(a.raw, f"memory-{v}.log")) for v in ("function", "floor")}
    jit = {}
    for v in ("function", "floor"):
        run = load(a.raw, f"memory-{v}")
        jit[v] = compilations(os.path.join(a.raw, f"memory-{v}.log"), run["init_ms"] + run["first_invocation_ms"])

    checks = judged(floor_targets(init_f, init_l, caller_f, caller_l, p99_f, p99_l, rss_f, rss_l), a) + [
        ("zip", fz <= TARGET_ZIP_BYTES, "≤ 20 MB (package limit)"),
    ]
    c = {k: (ok, t) for k, ok, t in checks}

    def row(name, f, l, unit, fmt, key=None, ratio=False):
        target, result = ("—", "—") if key not in c else (c[key][1], verdict(c[key][0]))
        if ratio:  # how many times the floor's, beside the verdict if there is one
            result = f"{f / l:.2f}× the floor" if key is None else f"{result} ({f / l:.2f}×)"
        return f"| {name} | {f:{fmt}} {unit} | {l:{fmt}} {unit} | {target} | {result} |"

    lines = []
    w = lines.append
    w("## Cold start and footprint")
    w("")
    w("`bench/cold-start/run.sh` — each `function.zip` unpacked as Lambda unpacks it into `/var/task` and run the way")
    w("Lambda's java21 runtime runs it: under the AWS Lambda Java Runtime Interface Client from Maven Central")
    w(f"({a.ric.replace(' ', ', ')}), main class `com.amazonaws.services.lambda.runtime.api.client.AWSLambda`, handler")
    w("`io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest`, the task root as working directory")
    w("(the RIC loads the function from `user.dir` and `user.dir/lib/*.jar`), 512 MB, against a local Runtime API")
    w("and zero-latency local fakes of the verification API and Secrets Manager (`bench/cold-start/runtime_api.py`,")
    w("127.0.0.1 only). The function runs live (`VERIFY_UPSTREAM=live`: token from the fake Secrets Manager, call to")
    w("the fake API); every answer was checked (`\"status\":\"CONSISTENT\"`, one API call per invocation). The floor")
    w("(`bench/cold-start/floor`) is a Quarkus 3.33.2 `quarkus-amazon-lambda` handler that only POSTs")
    w("`{\"name\":\"n\",\"mobile\":\"m\"}` to the same fake with `java.net.http` and returns the answer; it gets the same")
    w("event, flags and environment.")
    w("")
    w(f"{a.rounds} cold starts each, alternating function / function on JVM defaults / function with idempotency keys / function")
    w("with its request path not primed at startup / floor after one discarded round (page cache); each cold start")
    w(f"then serves {a.warm:,} warm invocations one at a time. Figures are medians over the {a.rounds} cold starts; the")
    w("warm percentiles are computed per cold start over its warm invocations, then the median is taken.")
    w("")
    w("- init: process start (just before exec) → the runtime's first `GET /runtime/invocation/next`")
    w("- first invocation: the first event written to the runtime → its response received")
    w("- first caller's cold start: init + first invocation of the same cold start, what the first caller of a new")
    w("  container waits for (the median of the sums, so not the sum of the two medians)")
    w("- warm: the same for each following invocation (includes the RIC's two Runtime API round trips)")
    w("- max RSS: the JVM's `VmHWM` from `/proc/<pid>/status` after the last invocation")
    w("")
    lines.extend(cpu_lines(a))
    w("")
    w("| measure | function | floor | target | result |")
    w("|---|---|---|---|---|")
    w(row("init (process start → first `/next`)", init_f, init_l, "ms", ".0f", "init", ratio=True))
    w(row("first invocation alone (event → response)", first_f, first_l, "ms", ".1f", ratio=True))
    w(row("first caller's cold start (init + first invocation)", caller_f, caller_l, "ms", ".0f", "caller",
          ratio=True))
    w(row(f"warm p50 ({a.warm:,} invocations)", p50_f, p50_l, "ms", ".2f"))
    w(row(f"warm p99 ({a.warm:,} invocations)", p99_f, p99_l, "ms", ".2f", "p99"))
    w(row("warm: the first 10 after the first invocation (median)", med(fn, "early_median_ms"), med(fl, "early_median_ms"),
          "ms", ".2f"))
    w(row(f"warm p99 after the first {STEADY_AFTER} (steady state)", med(fn, "steady_p99_ms"),
          med(fl, "steady_p99_ms"), "ms", ".2f"))
    w(row("max RSS", rss_f, rss_l, "MiB", ".0f", "rss"))
    w(f"| zip size | {fz / 1e6:.1f} MB ({fz:,} B) | {flz / 1e6:.1f} MB ({flz:,} B) | {c['zip'][1]} | "
      f"{verdict(c['zip'][0])} |")
    w("")
    w("Spread over the cold starts (min–max): init function "
      f"{spread(fn, 'init_ms', '.0f')} ms, floor {spread(fl, 'init_ms', '.0f')} ms; first invocation function "
      f"{spread(fn, 'first_invocation_ms', '.0f')} ms, floor {spread(fl, 'first_invocation_ms', '.0f')} ms; warm p99 "
      f"function {spread(fn, 'warm_p99_ms', '.2f')} ms, floor {spread(fl, 'warm_p99_ms', '.2f')} ms; max RSS function "
      f"{spread(fn, 'max_rss_kb', '.0f', 1024)} MiB, floor {spread(fl, 'max_rss_kb', '.0f', 1024)} MiB.")
    if census["function"] and census["floor"]:
        cf, cl = census["function"], census["floor"]
        w("")
        w(f"Classes loaded (one extra cold start each with `-Xlog:class+load`, not timed): during init function "
          f"{cf['init']:,}, floor {cl['init']:,}; during the first invocation function {cf['first']:,}, floor "
          f"{cl['first']:,}. The function's first invocation loads mostly "
          + ", ".join(f"`{g}` ({n})" for g, n in cf["top"]) + ".")
    w("")
    w(f"The function without the template's `JAVA_TOOL_OPTIONS` (`{a.tool_options}`), i.e. on Lambda's own JVM "
      f"defaults, {a.rounds} more cold starts in the same rounds (medians; the figure with the option in brackets): "
      f"max RSS {med(dfl, 'max_rss_kb') / 1024:.0f} MiB ({rss_f:.0f}), init {med(dfl, 'init_ms'):.0f} ms "
      f"({init_f:.0f}), first invocation {med(dfl, 'first_invocation_ms'):.1f} ms ({first_f:.1f}), warm p50 "
      f"{med(dfl, 'warm_p50_ms'):.2f} ms ({p50_f:.2f}), warm p99 {med(dfl, 'warm_p99_ms'):.2f} ms ({p99_f:.2f}).")
    for r in rec:
        r["first_caller_ms"] = r["init_ms"] + r["first_invocation_ms"]
    init_r, rss_r, caller_r = med(rec, "init_ms"), med(rec, "max_rss_kb") / 1024, med(rec, "first_caller_ms")
    w("")
    w(f"The function with idempotency keys on the shared records table (`VERIFY_RECORDS_TABLE` against a local "
      f"DynamoDB engine, moto on 127.0.0.1; every invocation a new key, so a claim and a settle each time), "
      f"{a.rounds} more cold starts in the same rounds (medians; the figure without keys in brackets): init "
      f"{init_r:.0f} ms ({init_f:.0f}; {init_r / init_l:.2f}× the floor, target ≤ 1.5×: "
      f"{verdict(init_r <= 1.5 * init_l)}), max RSS {rss_r:.0f} MiB ({rss_f:.0f}; {rss_r / rss_l:.2f}× the floor, "
      f"target ≤ 1.3×: {verdict(rss_r <= 1.3 * rss_l)}), first invocation {med(rec, 'first_invocation_ms'):.1f} ms "
      f"({first_f:.1f}), first caller's cold start {caller_r:.0f} ms ({caller_f:.0f}; {caller_r / caller_l:.2f}× the "
      f"floor, target ≤ 1.3×: {verdict(caller_r <= 1.3 * caller_l)}), warm p50 {med(rec, 'warm_p50_ms'):.2f} ms ({p50_f:.2f}), warm p99 "
      f"{med(rec, 'warm_p99_ms'):.2f} ms ({p99_f:.2f}). The warm figures include the engine's two writes, which "
      f"are moto's time on this machine, not DynamoDB's.")
    for r in unprimed:
        r["first_caller_ms"] = r["init_ms"] + r["first_invocation_ms"]
    first_u, init_u, caller_u = (med(unprimed, k) for k in ("first_invocation_ms", "init_ms", "first_caller_ms"))
    w("")
    w(f"The function with its request path not primed at startup (`PRIMING_REQUEST_PATH_ENABLED=false`: the local "
      f"paths only, so the first invocation loads and first runs the REST client, the signing and the fault "
      f"tolerance), {a.rounds} more cold starts in the same rounds (medians; the primed figure in brackets): init "
      f"{init_u:.0f} ms ({init_f:.0f}; {init_u / init_l:.2f}× the floor's), first invocation {first_u:.1f} ms "
      f"({first_f:.1f}; {first_u / first_l:.2f}× the floor's), first caller's cold start {caller_u:.0f} ms "
      f"({caller_f:.0f}; {caller_u / caller_l:.2f}× the floor's), warm p50 {med(unprimed, 'warm_p50_ms'):.2f} ms "
      f"({p50_f:.2f}), warm p99 {med(unprimed, 'warm_p99_ms'):.2f} ms ({p99_f:.2f}), max RSS "
      f"{med(unprimed, 'max_rss_kb') / 1024:.0f} MiB ({rss_f:.0f}). Under provisioned concurrency and after a "
      f"SnapStart restore the init is on no caller's path: the first caller waits for the first invocation alone "
      f"({first_f:.1f} ms primed).")
    if nmt["function"] and nmt["floor"] and census["function"] and census["floor"]:
        cf, cl = census["function"], census["floor"]
        w("")
        w(f"Where the memory goes: native memory tracking (`-XX:NativeMemoryTracking=summary`), committed at the end of "
          f"one more cold start of each with {a.warm:,} warm invocations (not timed; tracking adds about 2 MiB of "
          f"its own). Classes loaded (from the class-loading census): function {cf['all']:,} "
          f"({cf['task']:,} from its jars and classes), floor {cl['all']:,} ({cl['task']:,} from its jars and classes).")
        w("")
        w("| MiB committed | function | floor | difference |")
        w("|---|---|---|---|")
        shown = [c for _, cats in NMT_ROWS for c in cats]
        rows = NMT_ROWS + [("everything else the JVM tracks", None), ("total tracked", ("Total",))]
        for name, cats in rows:
            if cats is None:  # the total less the rows above
                f_, l_ = (nmt_mib(nmt[v], ("Total",)) - nmt_mib(nmt[v], shown) for v in ("function", "floor"))
            else:
                f_, l_ = (nmt_mib(nmt[v], cats) for v in ("function", "floor"))
            b = "**" if cats == ("Total",) else ""
            w(f"| {b}{name}{b} | {b}{f_:.1f}{b} | {b}{l_:.1f}{b} | {b}{f_ - l_:+.1f}{b} |")
    if jit["function"] and jit["floor"]:
        w("")
        w(f"JIT compilations in the same runs (`-XX:+PrintCompilation`): function {jit['function'][0]:,}, of which "
          f"{jit['function'][1]:,} after its first answer, i.e. during the warm invocations; floor "
          f"{jit['floor'][0]:,}, of which {jit['floor'][1]:,} after. The compiler thread shares the two cores with "
          "the warm invocations, and code not yet compiled runs interpreted.")
    w("")
    lines.extend(every_cold_start(r for runs in zip(fn, dfl, rec, unprimed, fl) for r in runs))
    w("")
    lines.extend(machine_lines(a))
    w("Java running the functions: " + "; ".join(jv) + ".")
    w("")
    w(f"JVM flags (both variants): `{a.jvm_flags}`; environment `JAVA_TOOL_OPTIONS={a.tool_options}` (template.yaml's, "
      "for the JVM runtime), except in the rounds run without it.")
    w("")
    w("Deviations from Lambda, each applied to both variants: the JDK above, not Amazon Corretto 21 (no JDK 21 is")
    w("installable here; the function is compiled for release 21); the JDK's default CDS archive instead of the")
    w("runtime's `runtime.jsa`; no Log4jHotPatch agent; `-XX:MaxRAM` so the JVM sizes itself for a 512 MB environment")
    w("(on this 24 GiB machine its default initial heap would be ~384 MB); 2 shared cores, where Lambda gives a 512 MB")
    w("function CPU in proportion to its memory — so absolute times are not Lambda's; the ratios to the floor are the result.")
    w("")
    with open(a.sources) as f:
        w(f.read().rstrip())
    w("")
    write(a.out, lines)
    for key, ok, target in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {key:<4} {target}")


def unpacked_mb(task):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(task) for f in files) / 1e6


def native_builder(stats_path):
    """Which native-image built the function, from Quarkus's copy of its build-output statistics."""
    try:
        with open(stats_path) as f:
            info = json.load(f).get("general_info", {})
    except (OSError, ValueError):
        return None
    parts = [info.get("graalvm_version"), info.get("java_version") and f"Java {info['java_version']}",
             info.get("c_compiler"), info.get("garbage_collector")]
    return ", ".join(p for p in parts if p) or None


def native_report(a):
    fn = [load(a.raw, f"function-{i}") for i in range(1, a.rounds + 1)]
    fl = [load(a.raw, f"floor-{i}") for i in range(1, a.rounds + 1)]
    for r in fn + fl:
        r["first_caller_ms"] = r["init_ms"] + r["first_invocation_ms"]
    fz, flz = os.path.getsize(a.function_zip), os.path.getsize(a.floor_zip)
    figure = {k: (med(fn, k), med(fl, k)) for k in
              ("init_ms", "first_invocation_ms", "first_caller_ms", "warm_p50_ms", "warm_p99_ms", "max_rss_kb")}
    rss_f, rss_l = (v / 1024 for v in figure["max_rss_kb"])
    checks = judged(floor_targets(*figure["init_ms"], *figure["first_caller_ms"], *figure["warm_p99_ms"], rss_f, rss_l), a)
    builder = native_builder(a.build_stats) if a.build_stats else None

    lines = []
    w = lines.append
    w("## Cold start and footprint, native (provided.al2023)")
    w("")
    w("`bench/cold-start/run.sh --native` — each native `function.zip` (`./mvnw package -Dnative`) unpacked as Lambda")
    w("unpacks it into `/var/task`, file modes included, and its `bootstrap` executable started directly, as Lambda's")
    w("OS-only runtime provided.al2023 starts it, with `AWS_LAMBDA_RUNTIME_API` pointing at a local Runtime API and")
    w("zero-latency local fakes of the verification API and Secrets Manager (`bench/cold-start/runtime_api.py`, 127.0.0.1")
    w("only). The function runs live (`VERIFY_UPSTREAM=live`: token from the fake Secrets Manager, call to the fake API);")
    w("every answer was checked (`\"status\":\"CONSISTENT\"`, one API call per invocation). The floor")
    w("(`bench/cold-start/floor`, a Quarkus `quarkus-amazon-lambda` handler that only POSTs to the same fake) is built")
    w("natively as well, so function and floor are compared like with like.")
    w("")
    w(f"{a.rounds} cold starts each, alternating function / floor after one discarded round; each cold start then serves")
    w(f"{a.warm:,} warm invocations one at a time. Figures are medians over the {a.rounds} cold starts (the warm")
    w("percentiles per cold start, then their median). init: process start → the first `GET /runtime/invocation/next`;")
    w("first invocation and warm: event written → response received; max RSS: `VmHWM` after the last invocation.")
    w("")
    lines.extend(cpu_lines(a))
    w("")
    w("| measure | function | floor | function against floor |")
    w("|---|---|---|---|")
    for name, key, fmt, unit, compare in (
            ("init (process start → first `/next`)", "init_ms", ".0f", "ms", "ratio"),
            ("first invocation (event → response)", "first_invocation_ms", ".1f", "ms", "difference"),
            ("first caller's cold start (init + first invocation)", "first_caller_ms", ".0f", "ms", "ratio"),
            (f"warm p50 ({a.warm:,} invocations)", "warm_p50_ms", ".2f", "ms", "difference"),
            (f"warm p99 ({a.warm:,} invocations)", "warm_p99_ms", ".2f", "ms", "difference")):
        f_, l_ = figure[key]
        against = f"{f_ / l_:.2f}×" if compare == "ratio" else f"{f_ - l_:+{fmt}} ms"
        w(f"| {name} | {f_:{fmt}} {unit} | {l_:{fmt}} {unit} | {against} |")
    w(f"| max RSS | {rss_f:.0f} MiB | {rss_l:.0f} MiB | {rss_f / rss_l:.2f}× |")
    w(f"| zip size | {fz / 1e6:.1f} MB ({fz:,} B) | {flz / 1e6:.1f} MB ({flz:,} B) | {fz / flz:.2f}× |")
    fu, lu = (unpacked_mb(os.path.join(a.task_root, v)) for v in ("function", "floor"))
    w(f"| unpacked in `/var/task` | {fu:.1f} MB | {lu:.1f} MB | {fu / lu:.2f}× |")
    w("")
    w("The targets the JVM package is held to against its floor (BENCHMARKS.md), applied here to the native pair: "
      + "; ".join(f"{key} {target}: {verdict(ok)}" for key, ok, target in checks) + ".")
    w("")
    w("Spread over the cold starts (min–max): init function "
      f"{spread(fn, 'init_ms', '.0f')} ms, floor {spread(fl, 'init_ms', '.0f')} ms; warm p99 function "
      f"{spread(fn, 'warm_p99_ms', '.2f')} ms, floor {spread(fl, 'warm_p99_ms', '.2f')} ms; max RSS function "
      f"{spread(fn, 'max_rss_kb', '.0f', 1024)} MiB, floor {spread(fl, 'max_rss_kb', '.0f', 1024)} MiB.")
    w("")
    lines.extend(every_cold_start(r for runs in zip(fn, fl) for r in runs))
    w("")
    lines.extend(machine_lines(a))
    w(f"Native image built by: {builder or 'not recorded (no build-output statistics beside the build)'}.")
    w("")
    w(f"Both executables get the arguments `{a.bootstrap_args}` and the environment `{a.environment}` (template.yaml's,")
    w("for the native runtime). Deviation from Lambda: Lambda passes `bootstrap` no arguments, and the image sizes its")
    w("heap from the execution environment's memory; here that memory is the machine's, so the arguments set the")
    w("maximum heap the image would compute for 512 MB. This machine's CPUs are not Lambda's either: absolute times are")
    w("not Lambda's; the comparison with the floor is the result.")
    write(a.out, lines)
    for key, ok, target in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {key:<4} {target}")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    kinds = ap.add_subparsers(dest="kind", required=True)
    jvm = kinds.add_parser("jvm", help="the JVM packages under the Runtime Interface Client")
    native = kinds.add_parser("native", help="the native packages' bootstrap executables")
    for p in (jvm, native):
        p.add_argument("--raw", required=True)
        p.add_argument("--rounds", type=int, required=True)
        p.add_argument("--warm", type=int, required=True)
        p.add_argument("--function-zip", required=True)
        p.add_argument("--floor-zip", required=True)
        p.add_argument("--load-start", required=True)
        p.add_argument("--load-end", required=True)
        p.add_argument("--started", required=True)
        p.add_argument("--out", required=True)
        p.add_argument("--invoke-cpu", type=float, default=0.0,
                       help="the share of one CPU each invocation was capped at (run.sh --lambda-cpu); 0: the machine's")
    jvm.add_argument("--java", required=True)
    jvm.add_argument("--jvm-flags", required=True)
    jvm.add_argument("--tool-options", required=True)
    jvm.add_argument("--ric", required=True)
    jvm.add_argument("--sources", required=True)
    native.add_argument("--task-root", required=True, help="the unpacked zips, in function/ and floor/")
    native.add_argument("--bootstrap-args", required=True)
    native.add_argument("--environment", required=True)
    native.add_argument("--build-stats", default="", help="Quarkus's native build-output statistics (JSON)")
    a = ap.parse_args()
    (jvm_report if a.kind == "jvm" else native_report)(a)


if __name__ == "__main__":
    main()
