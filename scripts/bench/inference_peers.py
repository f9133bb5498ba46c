"""The peers of the inference benchmark, in the same shapes as the engine's `examples/bench.rs`.

Usage:
  inference_peers.py transformers MODEL.gguf --dtype f32|bf16 [--threads N] [shape options]
  inference_peers.py llamacpp MODEL.gguf [--threads N] [shape options]
Shape options: --batches 1,4,8 --prompts 128,512 --decode 64 --repeats 3

Each (batch, prompt length): `batch` copies of the synthetic prompt (token ids
100 + (i*7919 mod 40000), as in bench.rs) are prefilled together (time to first token = that
pass plus the greedy choice), then `decode` greedy single-token steps run for all sequences at
once. One JSON line per shape (medians over repeats), then one with the process's peak RSS.

- transformers: Hugging Face eager PyTorch (`attn_implementation="eager"`), the GGUF
  dequantised by transformers on load, cast to the dtype; DynamicCache; inference_mode.
- llamacpp: llama.cpp through llama-cpp-python's C API, the GGUF as shipped (its own quantised
  kernels); all sequences of a batch in one llama_batch with distinct sequence ids.
"""
import argparse
import json
import os
import resource
import statistics
import time


def prompt_ids(n):
    return [100 + (i * 7919) % 40000 for i in range(n)]


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def emit(engine, batch, prompt, prefill, ttft, decode):
    print(json.dumps({
        "engine": engine, "batch": batch, "prompt": prompt,
        "prefill_tok_s": round(statistics.median(prefill), 1),
        "ttft_ms": round(statistics.median(ttft), 1),
        "decode_tok_s": round(statistics.median(decode), 2),
    }), flush=True)


def run_transformers(a):
    import torch
    from transformers import AutoModelForCausalLM

    torch.set_num_threads(a.threads)
    dtype = {"f32": torch.float32, "bf16": torch.bfloat16}[a.dtype]
    model = AutoModelForCausalLM.from_pretrained(
        os.path.dirname(a.model), gguf_file=os.path.basename(a.model), dtype=dtype,
        attn_implementation="eager")
    model.eval()
    engine = f"transformers {a.dtype}"
    with torch.inference_mode():
        for plen in a.prompts:
            ids = torch.tensor([prompt_ids(plen)])
            for batch in a.batches:
                x = ids.repeat(batch, 1)
                pre, ttft, dec = [], [], []
                for _ in range(a.repeats):
                    t0 = time.perf_counter()
                    out = model(input_ids=x, use_cache=True)
                    nxt = out.logits[:, -1].argmax(-1, keepdim=True)
                    first = time.perf_counter() - t0
                    pre.append(batch * plen / first)
                    ttft.append(first * 1e3)
                    past = out.past_key_values
                    t1 = time.perf_counter()
                    for _ in range(a.decode):
                        out = model(input_ids=nxt, past_key_values=past, use_cache=True)
                        past = out.past_key_values
                        nxt = out.logits[:, -1].argmax(-1, keepdim=True)
                    dec.append(batch * a.decode / (time.perf_counter() - t1))
                emit(engine, batch, plen, pre, ttft, dec)
    print(json.dumps({"engine": engine, "peak_rss_mb": round(peak_rss_mb()),
                      "threads": torch.get_num_threads(), "version": torch.__version__}))


def run_llamacpp(a):
    import numpy as np
    import llama_cpp as L

    L.llama_backend_init()
    mparams = L.llama_model_default_params()
    model = L.llama_model_load_from_file(a.model.encode(), mparams)
    vocab = L.llama_model_get_vocab(model)
    n_vocab = L.llama_vocab_n_tokens(vocab)
    ctx = None
    batch_buf = None

    def context(batch, plen):
        """A fresh context sized for this shape: its best configuration at every batch size."""
        cparams = L.llama_context_default_params()
        cparams.n_ctx = batch * (plen + a.decode + 8)
        cparams.n_batch = batch * plen
        cparams.n_ubatch = 512
        cparams.n_seq_max = batch
        cparams.n_threads = a.threads
        cparams.n_threads_batch = a.threads
        return L.llama_init_from_model(model, cparams)

    def decode(seqs):
        """seqs: list of (seq_id, start_pos, tokens); returns the greedy next token per seq."""
        n = 0
        last = []
        for sid, start, toks in seqs:
            for j, t in enumerate(toks):
                batch_buf.token[n] = t
                batch_buf.pos[n] = start + j
                batch_buf.n_seq_id[n] = 1
                batch_buf.seq_id[n][0] = sid
                batch_buf.logits[n] = j == len(toks) - 1
                n += 1
            last.append(n - 1)
        batch_buf.n_tokens = n
        rc = L.llama_decode(ctx, batch_buf)
        if rc != 0:
            raise RuntimeError(f"llama_decode returned {rc}")
        out = []
        for i in last:
            ptr = L.llama_get_logits_ith(ctx, i)
            out.append(int(np.ctypeslib.as_array(ptr, shape=(n_vocab,)).argmax()))
        return out

    engine = "llama.cpp (GGUF as shipped)"
    for plen in a.prompts:
        ids = prompt_ids(plen)
        for batch in a.batches:
            if ctx is not None:
                L.llama_free(ctx)
                L.llama_batch_free(batch_buf)
            ctx = context(batch, plen)
            mem = L.llama_get_memory(ctx)
            batch_buf = L.llama_batch_init(batch * plen, 0, 1)
            pre, ttft, dec = [], [], []
            for _ in range(a.repeats):
                L.llama_memory_clear(mem, True)
                t0 = time.perf_counter()
                nxt = decode([(s, 0, ids) for s in range(batch)])
                first = time.perf_counter() - t0
                pre.append(batch * plen / first)
                ttft.append(first * 1e3)
                t1 = time.perf_counter()
                for step in range(a.decode):
                    nxt = decode([(s, plen + step, [nxt[s]]) for s in range(batch)])
                dec.append(batch * a.decode / (time.perf_counter() - t1))
            emit(engine, batch, plen, pre, ttft, dec)
    print(json.dumps({"engine": engine, "peak_rss_mb": round(peak_rss_mb()), "threads": a.threads,
                      "version": L.__version__}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("peer", choices=["transformers", "llamacpp"])
    p.add_argument("model")
    p.add_argument("--dtype", default="f32", choices=["f32", "bf16"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batches", default="1,4,8")
    p.add_argument("--prompts", default="128,512")
    p.add_argument("--decode", type=int, default=64)
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    a.batches = [int(x) for x in a.batches.split(",")]
    a.prompts = [int(x) for x in a.prompts.split(",")]
    (run_transformers if a.peer == "transformers" else run_llamacpp)(a)


if __name__ == "__main__":
    main()
