"""The PyTorch half of `scripts/bench vs-python`: real transformers 4.31 on the configurations VsPythonBench runs.

    . /tmp/hfref/env.sh && /usr/bin/python3 scripts/reference/bench_vs_python.py THREADS RUNS OUT.json

Same work as VsPythonBench.java, random weights (speed does not depend on them), median of RUNS after one
warm-up (the batch-1 forward: of 20 x RUNS after 50):
  train: a bert-base BertForSequenceClassification (2 labels), batch 8 x 128 random ids, one Trainer step as
         the Trainer takes it: forward with labels, backward, clip_grad_norm_(1.0), AdamW (weight decay 0.01 on
         all but biases and LayerNorms), zero_grad; dropout on (train mode)
  eval:  the same model's forward in eval mode under no_grad
  small: a MiniLM-sized BertModel (6 layers, hidden 384, 12 heads, intermediate 1536), batch 1 x 16 tokens,
         eval, no_grad
Writes OUT.json: the medians in seconds, torch and transformers versions, threads, and the BLAS libraries the
process has mapped (Debian's torch calls the system's libblas.so.3).
"""
import json
import statistics
import sys
import time

import torch
from transformers import BertConfig, BertForSequenceClassification, BertModel

threads, runs, out_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
torch.set_num_threads(threads)
torch.manual_seed(0)


def median(body, count=runs, warmup=1):
    for _ in range(warmup):
        body()
    times = []
    for _ in range(count):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


model = BertForSequenceClassification(BertConfig(num_labels=2))
ids = torch.randint(1000, 20000, (8, 128))
mask = torch.ones_like(ids)
labels = torch.tensor([i % 2 for i in range(8)])
decay = [n for n, _ in model.named_parameters() if "bias" not in n and "LayerNorm" not in n]
optimizer = torch.optim.AdamW([
    {"params": [p for n, p in model.named_parameters() if n in decay], "weight_decay": 0.01},
    {"params": [p for n, p in model.named_parameters() if n not in decay], "weight_decay": 0.0}], lr=5e-5)


def train_step():
    model.train()
    loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    optimizer.zero_grad()


def eval_forward():
    model.eval()
    with torch.no_grad():
        model(input_ids=ids, attention_mask=mask).logits.sum().item()


small = BertModel(BertConfig(num_hidden_layers=6, hidden_size=384, num_attention_heads=12,
                             intermediate_size=1536), add_pooling_layer=False).eval()
small_ids = torch.randint(1000, 20000, (1, 16))


def small_forward():
    with torch.no_grad():
        small(input_ids=small_ids, attention_mask=torch.ones_like(small_ids)).last_hidden_state.sum().item()


result = {"train": median(train_step), "eval": median(eval_forward), "small": median(small_forward, runs * 20, 50)}
result.update({"torch": torch.__version__, "transformers": __import__("transformers").__version__,
               "threads": torch.get_num_threads(), "runs": runs,
               "blas": sorted({line.split()[-1] for line in open("/proc/self/maps")
                               if "blas" in line.lower() and "/" in line})})
with open(out_path, "w") as f:
    json.dump(result, f, indent=1)
