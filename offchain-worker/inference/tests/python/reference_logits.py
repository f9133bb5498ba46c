"""Independent reference forward pass for a Llama-family GGUF model, in float64 numpy.

Reads and dequantises the weights with the `gguf` package (llama.cpp's own Python reader),
keeps Q/K in the file's layout and applies RoPE in llama.cpp's interleaved ("normal") mode —
deliberately *not* the engine's approach (un-permute + rotate-half) — so that a layout bug in
either would show up as a mismatch.

Usage: reference_logits.py MODEL.gguf TOKEN_ID [TOKEN_ID ...]
Prints JSON: {"logits": [[...vocab...] for each position]}.
"""
import json
import sys

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize


def main():
    path, ids = sys.argv[1], [int(x) for x in sys.argv[2:]]
    r = GGUFReader(path)
    field = lambda k: r.fields[k].contents()
    arch = field("general.architecture")
    assert arch == "llama", f"reference only implements llama, got {arch}"
    n_layer = field(f"{arch}.block_count")
    n_head = field(f"{arch}.attention.head_count")
    n_kv = field(f"{arch}.attention.head_count_kv")
    eps = field(f"{arch}.attention.layer_norm_rms_epsilon")
    theta = field(f"{arch}.rope.freq_base")
    W = {}
    for t in r.tensors:
        W[t.name] = dequantize(t.data, t.tensor_type).astype(np.float64).reshape([int(d) for d in reversed(t.shape)])

    def rms(x, w):
        return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w

    T = len(ids)
    x = W["token_embd.weight"][ids]  # [T, hidden]
    hidden = x.shape[1]
    hd = hidden // n_head
    pos = np.arange(T)[:, None]
    inv = theta ** (-np.arange(0, hd, 2) / hd)  # [hd/2]
    ang = pos * inv[None, :]  # [T, hd/2]
    cos, sin = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]

    def rope_interleaved(v):  # v: [T, heads, hd]; pairs (2i, 2i+1)
        a, b = v[..., 0::2], v[..., 1::2]
        out = np.empty_like(v)
        out[..., 0::2] = a * cos - b * sin
        out[..., 1::2] = a * sin + b * cos
        return out

    mask = np.triu(np.full((T, T), -np.inf), 1)
    for i in range(n_layer):
        p = f"blk.{i}."
        h = rms(x, W[p + "attn_norm.weight"])
        q = rope_interleaved((h @ W[p + "attn_q.weight"].T).reshape(T, n_head, hd))
        k = rope_interleaved((h @ W[p + "attn_k.weight"].T).reshape(T, n_kv, hd))
        v = (h @ W[p + "attn_v.weight"].T).reshape(T, n_kv, hd)
        g = n_head // n_kv
        k = np.repeat(k, g, axis=1)
        v = np.repeat(v, g, axis=1)
        s = np.einsum("thd,shd->hts", q, k) / np.sqrt(hd) + mask
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        o = np.einsum("hts,shd->thd", s, v).reshape(T, n_head * hd)
        x = x + o @ W[p + "attn_output.weight"].T
        h = rms(x, W[p + "ffn_norm.weight"])
        gate = h @ W[p + "ffn_gate.weight"].T
        up = h @ W[p + "ffn_up.weight"].T
        x = x + ((gate / (1 + np.exp(-gate))) * up) @ W[p + "ffn_down.weight"].T
    x = rms(x, W["output_norm.weight"])
    head = W.get("output.weight", W["token_embd.weight"])
    logits = x @ head.T
    json.dump({"logits": logits.tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
