#!/usr/bin/env python3
"""Side-by-side PyTorch reference for `gonka-worker pow bench` (docs/benchmarks.md).

A plain, idiomatic PyTorch implementation of the sprint model's forward pass (Llama-style:
RMSNorm, half-split RoPE, causal SDPA with grouped KV heads, SwiGLU MLP, last-position logits),
batched like the Rust engine, in f32 under torch.inference_mode(). It measures throughput only:
inputs come from torch.randn, not from the protocol's ChaCha20 streams, and permutation/scoring
is done with torch ops. It reports nonces/s, model FLOP/s (same FLOP count as
gonka_pow::bench::flops_per_nonce, but for the full last layer, which this version computes) and
the fraction of a square matmul measured in the same process.

Usage: python scripts/bench/pow_reference.py [--batch 8] [--seconds 20] [--threads 2]
"""
import argparse
import time

import torch
import torch.nn.functional as F

SHAPE = dict(dim=512, layers=8, heads=8, kv_heads=8, ffn=1536, vocab=8192, seq=64, theta=10000.0)


def flops_per_nonce(s):
    S, D, F_, V = s["seq"], s["dim"], s["ffn"], s["vocab"]
    hd = D // s["heads"]
    q, kv = s["heads"] * hd, s["kv_heads"] * hd
    layer = 2 * S * D * (q + 2 * kv) + 2 * S * (S + 1) * q + 2 * S * q * D + 6 * S * D * F_
    return s["layers"] * layer + 2 * D * V


def rms_norm(x, eps=1e-5):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class Model:
    def __init__(self, s):
        D, F_, V = s["dim"], s["ffn"], s["vocab"]
        self.s = s
        hd = D // s["heads"]
        kv = s["kv_heads"] * hd
        g = torch.Generator().manual_seed(0)
        w = lambda o, i: torch.randn(o, i, generator=g) / i ** 0.5
        self.layers = [
            dict(q=w(D, D), k=w(kv, D), v=w(kv, D), o=w(D, D), gate=w(F_, D), up=w(F_, D), down=w(D, F_))
            for _ in range(s["layers"])
        ]
        self.lm = w(V, D)
        pos = torch.arange(s["seq"], dtype=torch.float64)[:, None]
        inv = s["theta"] ** (-torch.arange(0, hd, 2, dtype=torch.float64) / hd)
        ang = torch.cat([pos * inv, pos * inv], dim=-1)
        self.cos, self.sin = ang.cos().float(), ang.sin().float()

    def forward(self, x):
        s = self.s
        B, S, D = x.shape
        H, KV = s["heads"], s["kv_heads"]
        hd = D // H
        h = x
        for L in self.layers:
            a = rms_norm(h)
            q = F.linear(a, L["q"]).view(B, S, H, hd).transpose(1, 2)
            k = F.linear(a, L["k"]).view(B, S, KV, hd).transpose(1, 2)
            v = F.linear(a, L["v"]).view(B, S, KV, hd).transpose(1, 2)
            q = q * self.cos + rotate_half(q) * self.sin
            k = k * self.cos + rotate_half(k) * self.sin
            o = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=H != KV)
            h = h + F.linear(o.transpose(1, 2).reshape(B, S, D), L["o"])
            m = rms_norm(h)
            h = h + F.linear(F.silu(F.linear(m, L["gate"])) * F.linear(m, L["up"]), L["down"])
        return F.linear(rms_norm(h[:, -1]), self.lm)


def matmul_rate(n=2048, seconds=2.0):
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    best, t0 = 0.0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        t = time.perf_counter()
        a @ b
        best = max(best, 2 * n ** 3 / (time.perf_counter() - t))
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    s = SHAPE
    model = Model(s)
    target = F.normalize(torch.randn(s["vocab"], dtype=torch.float64), dim=0)
    with torch.inference_mode():
        model.forward(torch.randn(args.batch, s["seq"], s["dim"]))
        nonces, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < args.seconds:
            x = torch.randn(args.batch, s["seq"], s["dim"])
            perm = torch.stack([torch.randperm(s["vocab"]) for _ in range(args.batch)])
            logits = model.forward(x).double()
            p = F.normalize(torch.gather(logits, 1, perm), dim=1)
            (p - target).norm(dim=1)
            nonces += args.batch
        wall = time.perf_counter() - t0
        rate = matmul_rate()
    fl = flops_per_nonce(s)
    nps = nonces / wall
    print(f"| torch | {torch.__version__}, {torch.get_num_threads()} threads, f32, batch {args.batch} |")
    print(f"| nonces/s | {nps:.1f} |")
    print(f"| FLOPs per nonce (full last layer) | {fl / 1e9:.3f} G |")
    print(f"| model FLOP/s | {nps * fl / 1e9:.1f} G |")
    print(f"| measured matmul FLOP/s | {rate / 1e9:.1f} G |")
    print(f"| MFU | {100 * nps * fl / rate:.1f}% |")


if __name__ == "__main__":
    main()
