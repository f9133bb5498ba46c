#!/usr/bin/env python3
"""The weights table of docs/benchmarks.md, read from the weight files scripts/bench/weights.sh
writes (pallets/*/src/weights.rs from our template, runtime/src/weights/*.rs from the standard
one).

For each benchmark of the impl priced by the runtime's `T::DbWeight`: the base ref time
(picoseconds), worst-case proof size (bytes), storage reads and writes, and their slopes per
component; the row gives every figure at the components' maximum (what a block is charged in the
worst case), with the ranges read from the `[min, max]` doc comments.

Usage: weights_table.py FILE.rs ...
"""
import os
import re
import sys

RANGE = re.compile(r"component `(\w+)` (?:is|ranges over) `\[(\d+), (\d+)\]`", re.IGNORECASE)
FN = re.compile(r"^\s*fn (\w+)\s*\(")
NUM = r"([\d_]+)(?:_u64)?"
BASE = re.compile(r"Weight::from_parts\(" + NUM + r", " + NUM + r"\)\s*$")
TIME_SLOPE = re.compile(r"Weight::from_parts\(" + NUM + r", 0\)\.saturating_mul\((\w+)\.into\(\)\)")
PROOF_SLOPE = re.compile(r"Weight::from_parts\(0, " + NUM + r"\)\.saturating_mul\((\w+)\.into\(\)\)")
DB_SLOPE = re.compile(r"\.(reads|writes)\(\(" + NUM + r"\)\.saturating_mul\((\w+)\.into\(\)\)\)")
PROOF_BASE = re.compile(r"\.saturating_add\(Weight::from_parts\(0, " + NUM + r"\)\)\s*$")
DB_BASE = re.compile(r"DbWeight::get\(\)\.(reads|writes)\(" + NUM + r"\)")


def num(s):
    return int(s.replace("_", ""))


def parse(path):
    """The benchmarks of the `T::DbWeight` impl of one file, and the component ranges its doc
    comments give (on the trait in our template, on the impl in the standard one)."""
    pallet = os.path.basename(path)[:-3]
    if pallet == "weights":  # pallets/<dir>/src/weights.rs
        pallet = "pallet_gonka_" + path.split(os.sep)[-3].replace("-", "_")
    rows, ranges, pending, in_impl = [], {}, [], False
    current = None
    for line in open(path):
        m = RANGE.search(line)
        if m:
            pending.append((m.group(1), num(m.group(2)), num(m.group(3))))
            continue
        if line.startswith("impl"):
            in_impl = "T: frame_system::Config" in line or "WeightInfo<T>" in line
        m = FN.match(line)
        if m:
            if pending:
                ranges[m.group(1)] = pending
            pending = []
            if current:
                rows.append(current)
            current = None
            if in_impl:
                current = {"pallet": pallet, "name": m.group(1), "base": None, "proof": 0,
                           "reads": 0, "writes": 0, "slopes": []}
            continue
        if current is None:
            continue
        if current["base"] is None:
            m = BASE.search(line)
            if m:
                current["base"], current["proof"] = num(m.group(1)), num(m.group(2))
                continue
        m = PROOF_BASE.search(line)
        if m:  # the standard template adds the base proof size on its own line
            current["proof"] += num(m.group(1))
            continue
        for kind, regex in (("time", TIME_SLOPE), ("proof", PROOF_SLOPE)):
            m = regex.search(line)
            if m:
                current["slopes"].append((kind, num(m.group(1)), m.group(2)))
        m = DB_SLOPE.search(line)
        if m:
            current["slopes"].append((m.group(1), num(m.group(2)), m.group(3)))
            continue
        m = DB_BASE.search(line)
        if m:
            current[m.group(1)] += num(m.group(2))
        if line.strip() == "}" and current.get("base") is not None and line.startswith("\t}"):
            rows.append(current)
            current = None
    if current:
        rows.append(current)
    return rows, {(pallet, name): r for name, r in ranges.items()}


def main(paths):
    rows, ranges = [], {}
    for path in paths:
        file_rows, file_ranges = parse(path)
        rows += file_rows
        ranges.update(file_ranges)
    print("| pallet | benchmark | components | ref time (µs) | proof size (bytes) | reads | writes |")
    print("|---|---|---|---:|---:|---:|---:|")
    for r in sorted(rows, key=lambda r: (r["pallet"], r["name"])):
        comp_ranges = ranges.get((r["pallet"], r["name"]), [])
        top = {name: hi for name, _lo, hi in comp_ranges}
        total = {"time": r["base"] or 0, "proof": r["proof"], "reads": r["reads"],
                 "writes": r["writes"]}
        for kind, slope, comp in r["slopes"]:
            total[kind] += slope * top.get(comp, 0)
        comps = ", ".join(f"{n} ≤ {hi}" for n, _lo, hi in comp_ranges) or "-"
        print(f"| {r['pallet']} | {r['name']} | {comps} | {total['time'] / 1e6:,.1f} | "
              f"{total['proof']:,} | {total['reads']} | {total['writes']} |")


if __name__ == "__main__":
    main(sys.argv[1:])
