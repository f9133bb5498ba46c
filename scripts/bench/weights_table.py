#!/usr/bin/env python3
"""The weights table of docs/benchmarks.md from scripts/bench/weights.sh's results.

Input: the `<pallet>.table.jsonl` files the script renders with weights-table.hbs (one JSON
object per benchmark: base ref time in picoseconds, worst-case proof size in bytes, storage
reads and writes, and their slopes per component). Output: one Markdown row per benchmark,
every figure at the components' maximum (the weight a block is charged in the worst case).

Usage: weights_table.py RESULTS_DIR/*.table.jsonl
"""
import json
import sys


def at_max(base, slopes, ranges):
    top = {name: hi for name, _lo, hi in ranges}
    return base + sum(slope * top.get(name, 0) for name, slope in slopes)


def main(paths):
    rows = []
    for path in paths:
        with open(path) as f:
            rows += [json.loads(line) for line in f if line.strip()]
    print("| pallet | benchmark | components | ref time (µs) | proof size (bytes) | reads | writes |")
    print("|---|---|---|---:|---:|---:|---:|")
    for r in sorted(rows, key=lambda r: (r["pallet"], r["name"])):
        ranges = r["ranges"]
        comps = ", ".join(f"{n} ≤ {hi}" for n, _lo, hi in ranges) or "-"
        ref_us = at_max(r["base_ps"], r["time_slopes"], ranges) / 1e6
        proof = at_max(r["proof"], r["proof_slopes"], ranges)
        reads = at_max(r["reads"], r["read_slopes"], ranges)
        writes = at_max(r["writes"], r["write_slopes"], ranges)
        print(f"| {r['pallet']} | {r['name']} | {comps} | {ref_us:,.1f} | {proof:,} | {reads} | {writes} |")


if __name__ == "__main__":
    main(sys.argv[1:])
