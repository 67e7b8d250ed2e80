#!/usr/bin/env python3
"""The medians of builds measured in the same rounds by run.sh --also: one row per build (the function as built,
each --also zip, the floor), each figure also as a ratio to the function's, so packaging variants can be compared
on one machine state. Standard library only."""

import argparse
import os
import statistics

from report import load  # one cold start's figures, refusing one that did not succeed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--rounds", type=int, required=True)
    ap.add_argument("--variant", action="append", required=True, help="LABEL=ZIP, the function first")
    ap.add_argument("--started", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    rows = []
    for v in a.variant:
        label, zip_path = v.split("=", 1)
        runs = [load(a.raw, f"{label}-{i}") for i in range(1, a.rounds + 1)]
        rows.append({
            "label": label,
            "zip": os.path.getsize(zip_path),
            "init": statistics.median(r["init_ms"] for r in runs),
            "init_spread": (min(r["init_ms"] for r in runs), max(r["init_ms"] for r in runs)),
            "first": statistics.median(r["first_invocation_ms"] for r in runs),
            "p99": statistics.median(r["warm_p99_ms"] for r in runs),
            "rss": statistics.median(r["max_rss_kb"] for r in runs) / 1024,
        })
    base = rows[0]
    lines = [
        f"Builds compared in the same {a.rounds} rounds (run started {a.started}; medians over the cold starts; "
        f"ratios to `{base['label']}`).",
        "",
        "| build | zip size | init | init min–max | first invocation | warm p99 | max RSS |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {r['zip'] / 1e6:.2f} MB ({r['zip'] / base['zip']:.2f}×) "
            f"| {r['init']:.0f} ms ({r['init'] / base['init']:.2f}×) "
            f"| {r['init_spread'][0]:.0f}–{r['init_spread'][1]:.0f} ms "
            f"| {r['first']:.1f} ms | {r['p99']:.2f} ms "
            f"| {r['rss']:.1f} MiB ({r['rss'] / base['rss']:.3f}×) |")
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
