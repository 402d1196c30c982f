"""The loss curve of notebooks/06-seq2seq's T5 trained by transformers 4.31 in PyTorch, to compare with ours: the
same config, data (English side up to six words, 5,000 pairs), batch 32, AdamW at 3e-3 with 5% warmup then linear
decay, gradient clipping at 1.0, dropout 0.1. Prints the mean training loss of every 50 steps.

    scripts/fetch-de-en
    . /tmp/hfref/env.sh && /usr/bin/python3 scripts/reference/t5_de_en_curve.py [epochs=3]

Measured 2026-12-03 (three epochs): 5.68 at step 100, 4.97 at 250, 4.77 at 450. Javaformers' Seq2SeqTrainer, with the
same model and six-word data (all 5,070 training pairs, a ten-epoch schedule, so a slower decay), logged 10-step
losses of 5.69, 4.91 and 4.70 at those steps. Both learn at the same rate: the low BLEU of short runs is the task
(a few thousand idiomatic sentence pairs, from scratch), not the trainer.
"""
import random
import sys

import sentencepiece as spm
import torch
from transformers import T5Config, T5ForConditionalGeneration

torch.manual_seed(42)
random.seed(42)
torch.set_num_threads(2)
sp = spm.SentencePieceProcessor(model_file="out/data/t5-de-en/spiece.model")
with open("out/data/de-en.tsv", encoding="utf-8") as f:
    rows = [line.rstrip("\n").split("\t") for line in f][1:]
rows = [r for r in rows if len(r[1].split(" ")) <= 6]
random.shuffle(rows)


def encode(text):
    return sp.encode(text)[:47] + [1]  # truncated to 48 with </s>, as the tokenizer's max_length 48


data = [(encode(de), encode(en)) for de, en in rows[:5000]]
config = T5Config(vocab_size=sp.get_piece_size(), d_model=128, d_kv=32, num_heads=4, d_ff=512, num_layers=3,
                  num_decoder_layers=3, dropout_rate=0.1, decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)
model = T5ForConditionalGeneration(config)
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
steps = epochs * ((len(data) + 31) // 32)
warmup = int(0.05 * steps)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.0)
schedule = torch.optim.lr_scheduler.LambdaLR(
    optimizer, lambda s: min((s + 1) / max(1, warmup), max(0.0, (steps - s) / (steps - warmup))))
step, total, count = 0, 0.0, 0
for epoch in range(epochs):
    random.shuffle(data)
    for i in range(0, len(data), 32):
        batch = data[i:i + 32]
        width = max(len(x) for x, _ in batch)
        target_width = max(len(y) for _, y in batch)
        ids = torch.tensor([x + [0] * (width - len(x)) for x, _ in batch])
        labels = torch.tensor([y + [-100] * (target_width - len(y)) for _, y in batch])
        loss = model(input_ids=ids, attention_mask=(ids != 0).long(), labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        step, total, count = step + 1, total + loss.item(), count + 1
        if step % 50 == 0:
            print(step, round(total / count, 3), flush=True)
            total, count = 0.0, 0
