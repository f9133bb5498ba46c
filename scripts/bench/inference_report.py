"""Markdown report of scripts/bench/inference.sh's JSON lines: one table per metric with every
engine side by side, and our engine's ratio to each peer.

Usage: inference_report.py RESULTS.jsonl [--ours "gonka native"]
"""
import argparse
import json


def main():
    p = argparse.ArgumentParser()
    p.add_argument("results")
    p.add_argument("--ours", default="gonka native")
    a = p.parse_args()
    rows, rss, loads = {}, {}, []
    engines = []
    with open(a.results) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            if "load_avg" in r:
                loads.append(r)
                continue
            e = r["engine"]
            if e not in engines:
                engines.append(e)
            if "peak_rss_mb" in r:
                rss[e] = r["peak_rss_mb"]
            else:
                rows[(e, r["batch"], r["prompt"])] = r
    shapes = sorted({(b, pr) for (_, b, pr) in rows})
    # Ratios are against the other engines, not our own other precisions.
    peers = [e for e in engines if not e.startswith("gonka")]
    if loads:
        print(f"{loads[0]['date']} on {loads[0]['host_cpu']}; load average before "
              f"{loads[0]['load_avg']}, after {loads[-1]['load_avg']}; OMP_WAIT_POLICY "
              f"{loads[0].get('omp_wait_policy', 'PASSIVE')}\n")
    for metric, label in (("decode_tok_s", "decode tokens/s (all sequences)"),
                          ("prefill_tok_s", "prefill tokens/s"),
                          ("ttft_ms", "time to first token, ms")):
        print(f"### {label}\n")
        head = "| batch | prompt | " + " | ".join(engines)
        ratio_cols = [f"{a.ours} / {pe}" for pe in peers] if a.ours in engines else []
        print(head + (" | " + " | ".join(ratio_cols) if ratio_cols else "") + " |")
        print("|" + "---|" * (2 + len(engines) + len(ratio_cols)))
        for b, pr in shapes:
            vals = [rows.get((e, b, pr), {}).get(metric) for e in engines]
            cells = ["-" if v is None else f"{v:g}" for v in vals]
            ratios = []
            ours = rows.get((a.ours, b, pr), {}).get(metric)
            for pe in peers if ratio_cols else []:
                theirs = rows.get((pe, b, pr), {}).get(metric)
                if ours is None or not theirs:
                    ratios.append("-")
                elif metric == "ttft_ms":
                    ratios.append(f"{theirs / ours:.2f}x")  # higher = we answer sooner
                else:
                    ratios.append(f"{ours / theirs:.2f}x")
            print(f"| {b} | {pr} | " + " | ".join(cells + ratios) + " |")
        print()
    print("### peak RSS over the whole run, MB\n")
    print("| engine | peak RSS | ours / engine |\n|---|---|---|")
    for e in engines:
        r = rss.get(e)
        ratio = f"{rss[a.ours] / r:.2f}x" if a.ours in rss and r else "-"
        print(f"| {e} | {r if r is not None else '-'} | {ratio} |")
    print("\nRatio columns: ours / peer for throughput and peer / ours for time to first token, so"
          " above 1 means ours is better; for RSS, ours / engine (below 1 = ours uses less).")


if __name__ == "__main__":
    main()
