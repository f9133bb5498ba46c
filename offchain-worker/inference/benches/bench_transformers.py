"""PyTorch eager (Hugging Face transformers) baseline for examples/bench.rs: same model file,
same shapes (128-token prompts, 64 greedy decode steps with KV cache), batch 1 and 8, CPU, f32.

Usage: bench_transformers.py MODEL.gguf [THREADS]
transformers dequantises the GGUF to f32 on load (needs the `gguf` package).
"""
import os
import statistics
import sys
import time

import torch
from transformers import AutoModelForCausalLM

PROMPT_LEN, DECODE_STEPS, REPEATS = 128, 64, 3


def main():
    path = sys.argv[1]
    if len(sys.argv) > 2:
        torch.set_num_threads(int(sys.argv[2]))
    model = AutoModelForCausalLM.from_pretrained(os.path.dirname(path), gguf_file=os.path.basename(path),
                                                 torch_dtype=torch.float32)
    model.eval()
    print(f"torch {torch.__version__}, threads: {torch.get_num_threads()}")
    print("| batch | prefill tok/s | decode tok/s |\n|---|---|---|")
    g = torch.Generator().manual_seed(0)
    prompt = torch.randint(100, 40000, (1, PROMPT_LEN), generator=g)
    with torch.inference_mode():
        for batch in (1, 8):
            ids = prompt.repeat(batch, 1)
            pre, dec = [], []
            for _ in range(REPEATS):
                t0 = time.perf_counter()
                out = model(input_ids=ids, use_cache=True)
                pre.append(batch * PROMPT_LEN / (time.perf_counter() - t0))
                past = out.past_key_values
                nxt = out.logits[:, -1].argmax(-1, keepdim=True)
                t1 = time.perf_counter()
                for _ in range(DECODE_STEPS):
                    out = model(input_ids=nxt, past_key_values=past, use_cache=True)
                    past = out.past_key_values
                    nxt = out.logits[:, -1].argmax(-1, keepdim=True)
                dec.append(batch * DECODE_STEPS / (time.perf_counter() - t1))
            print(f"| {batch} | {statistics.median(pre):.0f} | {statistics.median(dec):.1f} |")


if __name__ == "__main__":
    main()
