#!/usr/bin/env python3
"""The medians of builds measured in the same rounds by run.sh --also or --spring-peer: one row per build (the function
as built, each --also zip, the floor, the floor with its own ahead-of-time cache and the Spring Cloud Function peer
when they were measured), each figure beside its ratio to the floor's, the yardstick of the targets in BENCHMARKS.md,
so packaging variants are compared on one machine state. With the peer (label spring-peer), a line per build says on
which figures it is not ahead of the peer (the targets want it ahead on every one). The first caller's wait is init plus first invocation, taken per cold start before the median. A zip
with a `bootstrap` was started as provided.al2023 starts it, any other under the java21 runtime's Runtime Interface
Client; the table says which. Standard library only."""

import argparse
import os
import statistics
import zipfile

from report import load  # one cold start's figures, refusing one that did not succeed


def median(runs, figure):
    return statistics.median(figure(r) for r in runs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--rounds", type=int, required=True)
    ap.add_argument("--variant", action="append", required=True,
                    help="LABEL=ZIP, the function first; a variant labelled floor is the yardstick")
    ap.add_argument("--started", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    rows = []
    for v in a.variant:
        label, zip_path = v.split("=", 1)
        runs = [load(a.raw, f"{label}-{i}") for i in range(1, a.rounds + 1)]
        with zipfile.ZipFile(zip_path) as z:
            names = z.namelist()
            unzipped = sum(i.file_size for i in z.infolist())
        rows.append({
            "label": label,
            "runs_as": "provided.al2023, its bootstrap" if "bootstrap" in names else "java21, the RIC",
            "zip": os.path.getsize(zip_path),
            "unzipped": unzipped,
            "init": median(runs, lambda r: r["init_ms"]),
            "init_spread": (min(r["init_ms"] for r in runs), max(r["init_ms"] for r in runs)),
            "first": median(runs, lambda r: r["first_invocation_ms"]),
            "caller": median(runs, lambda r: r["init_ms"] + r["first_invocation_ms"]),
            "p50": median(runs, lambda r: r["warm_p50_ms"]),
            "p99": median(runs, lambda r: r["warm_p99_ms"]),
            "rss": median(runs, lambda r: r["max_rss_kb"]) / 1024,
        })
    floor = next((r for r in rows if r["label"] == "floor"), rows[0])
    lines = [
        f"Builds compared in the same {a.rounds} rounds (run started {a.started}; medians over the cold starts; "
        f"ratios to `{floor['label']}`; first caller = init + first invocation, per cold start; warm p99 also as the "
        f"difference to the floor's).",
        "",
        "| build | runs as | zip / unzipped | init | init min–max | first invocation | first caller | warm p50 "
        "| warm p99 | max RSS |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {r['runs_as']} | {r['zip'] / 1e6:.1f} / {r['unzipped'] / 1e6:.1f} MB "
            f"| {r['init']:.0f} ms ({r['init'] / floor['init']:.2f}×) "
            f"| {r['init_spread'][0]:.0f}–{r['init_spread'][1]:.0f} ms "
            f"| {r['first']:.1f} ms "
            f"| {r['caller']:.0f} ms ({r['caller'] / floor['caller']:.2f}×) "
            f"| {r['p50']:.2f} ms "
            f"| {r['p99']:.2f} ms ({r['p99'] - floor['p99']:+.2f}) "
            f"| {r['rss']:.1f} MiB ({r['rss'] / floor['rss']:.2f}×) |")
    cached = next((r for r in rows if r["label"] == "floor-aot"), None)
    if cached:
        lines += ["", f"Against the floor with its own ahead-of-time cache (`floor-aot`, first caller "
                      f"{cached['caller']:.0f} ms): "
                  + ", ".join(f"{r['label']} {r['caller'] / cached['caller']:.2f}×" for r in rows
                              if r["label"] not in ("floor", "floor-aot")) + "."]
    peer = next((r for r in rows if r["label"] == "spring-peer"), None)
    if peer:
        figures = [("init", "init"), ("first invocation", "first"), ("first caller", "caller"), ("warm p50", "p50"),
                   ("warm p99", "p99"), ("max RSS", "rss"), ("zip", "zip"), ("unzipped", "unzipped")]
        verdicts = []
        for r in rows:
            if r["label"] in ("floor", "floor-aot", "spring-peer"):
                continue
            behind = [name for name, key in figures if r[key] >= peer[key]]
            verdicts.append(f"{r['label']} " + ("ahead on every figure" if not behind
                                                else "not ahead on " + ", ".join(behind)))
        lines += ["", f"Against the Spring Cloud Function peer (`spring-peer`, first caller {peer['caller']:.0f} ms): "
                  + "; ".join(verdicts) + "."]
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
