"""The PyTorch half of `scripts/bench generate`: real transformers 4.31 generate on a random gpt2-sized model.

    . /tmp/hfref/env.sh && /usr/bin/python3 scripts/reference/bench_generate.py THREADS RUNS OUT.json [all]

Same work as GenerateBench.java: batch 1, the same 8-token prompt, 128 greedy new tokens (min_new_tokens so eos
never stops it), with and without the cache, median of RUNS after one warm-up. Forward hooks stamp each step the
way the Java side's wrapper does, so the per-token times of both mean the same thing. Writes OUT.json for the
Java side to print next to its own numbers. Debian's torch calls whatever libblas.so.3 the system has; on netlib's
reference BLAS the run without the cache (a 50257-wide matmul over the whole sequence each step) would take an
estimated 15 minutes, so it is skipped there unless the fourth argument is "all".
"""
import json
import statistics
import sys
import time

import torch
from transformers import GPT2Config, GPT2LMHeadModel

threads, runs, out_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
everything = sys.argv[4:] == ["all"]
torch.set_num_threads(threads)
torch.manual_seed(0)
model = GPT2LMHeadModel(GPT2Config()).eval()  # random weights: the speed does not depend on them

PROMPT = [464, 2068, 7586, 21831, 18045, 625, 262, 16931]  # fixed ids, the same as GenerateBench.PROMPT
NEW = 128
entries, exits = [], []
model.register_forward_pre_hook(lambda m, a: entries.append(time.perf_counter()))
model.register_forward_hook(lambda m, a, o: exits.append(time.perf_counter()))


def once(use_cache):
    entries.clear()
    exits.clear()
    ids = torch.tensor([PROMPT])
    out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=NEW,
                         min_new_tokens=NEW, do_sample=False, use_cache=use_cache, pad_token_id=50256)
    end = time.perf_counter()
    assert out.shape[1] == len(PROMPT) + NEW, out.shape
    # step i runs from forward i's entry to forward i+1's (the last one to generate's return): forward, then the
    # processors, argmax and bookkeeping of that step
    steps = [b - a for a, b in zip(entries, entries[1:] + [end])]
    forwards = [b - a for a, b in zip(entries, exits)]
    return end, steps, forwards


def bench(use_cache):
    once(use_cache)  # warm-up
    totals, steps, forwards = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        end, s, f = once(use_cache)
        totals.append(end - start)
        steps.append(s)
        forwards.append(f)
    # per-token medians pool the runs: tokens 1-32 of every run, and tokens 97-128
    return {"seconds": statistics.median(totals),
            "early": statistics.median([t for s in steps for t in s[:32]]),
            "late": statistics.median([t for s in steps for t in s[96:]]),
            "forward_early": statistics.median([t for f in forwards for t in f[:32]]),
            "forward_late": statistics.median([t for f in forwards for t in f[96:]])}


blas = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and "/" in line})
reference_blas = any("/blas/libblas" in b for b in blas)
result = {"torch": torch.__version__, "transformers": __import__("transformers").__version__,
          "threads": torch.get_num_threads(), "blas": blas, "runs": runs, "cache": bench(True),
          "no_cache": bench(False) if everything or not reference_blas else None}
with open(out_path, "w") as f:
    json.dump(result, f, indent=1)
