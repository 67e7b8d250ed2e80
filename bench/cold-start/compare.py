#!/usr/bin/env python3
"""The medians of builds measured in the same rounds by run.sh --also: one row per build (the function as built,
each --also zip, the floor), each figure also as a ratio to the function's, so packaging variants can be compared
on one machine state. A zip with a `bootstrap` was started as provided.al2023 starts it, any other under the java21
runtime's Runtime Interface Client; the table says which. Standard library only."""

import argparse
import os
import statistics
import zipfile

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
        with zipfile.ZipFile(zip_path) as z:
            names = z.namelist()
            unzipped = sum(i.file_size for i in z.infolist())
        rows.append({
            "label": label,
            "runs_as": "provided.al2023, its bootstrap" if "bootstrap" in names else "java21, the RIC",
            "zip": os.path.getsize(zip_path),
            "unzipped": unzipped,
            "init": statistics.median(r["init_ms"] for r in runs),
            "init_spread": (min(r["init_ms"] for r in runs), max(r["init_ms"] for r in runs)),
            "first": statistics.median(r["first_invocation_ms"] for r in runs),
            # What the first caller of a new container waits for: the median of the sums, not the sum of medians.
            "caller": statistics.median(r["init_ms"] + r["first_invocation_ms"] for r in runs),
            "p50": statistics.median(r["warm_p50_ms"] for r in runs),
            "p99": statistics.median(r["warm_p99_ms"] for r in runs),
            "rss": statistics.median(r["max_rss_kb"] for r in runs) / 1024,
        })
    base = rows[0]
    lines = [
        f"Builds compared in the same {a.rounds} rounds (run started {a.started}; medians over the cold starts; "
        f"ratios to `{base['label']}`).",
        "",
        "| build | runs as | zip size (unzipped) | init | init min–max | first invocation | first caller "
        "| warm p50 | warm p99 | max RSS |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {r['runs_as']} "
            f"| {r['zip'] / 1e6:.2f} MB ({r['zip'] / base['zip']:.2f}×; {r['unzipped'] / 1e6:.1f} MB) "
            f"| {r['init']:.0f} ms ({r['init'] / base['init']:.2f}×) "
            f"| {r['init_spread'][0]:.0f}–{r['init_spread'][1]:.0f} ms "
            f"| {r['first']:.1f} ms | {r['caller']:.0f} ms ({r['caller'] / base['caller']:.2f}×) "
            f"| {r['p50']:.2f} ms | {r['p99']:.2f} ms "
            f"| {r['rss']:.1f} MiB ({r['rss'] / base['rss']:.3f}×) |")
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
