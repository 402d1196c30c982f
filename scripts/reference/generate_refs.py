"""Reference token ids from real transformers 4.31 `generate` on hf-tiny/tiny-gpt2, for GenerateTest.

Run with the hfref harness (../shared/hfref, built under /tmp/hfref):
    . /tmp/hfref/env.sh && /usr/bin/python3 scripts/reference/generate_refs.py \
        core/src/test/resources/hf-tiny/tiny-gpt2 core/src/test/resources/hf-tiny/expected/tiny-gpt2-generate.json
Each case: the generate() keyword arguments, the prompts (left-padded with pad 0), and the ids transformers returns.
"""
import json
import sys

import torch
from transformers import GPT2LMHeadModel

model_dir, out_path = sys.argv[1], sys.argv[2]
model = GPT2LMHeadModel.from_pretrained(model_dir).eval()

prompts = [[2, 15, 37, 8, 91], [55, 12, 3]]
PAD = 0


def batch(rows):
    width = max(len(r) for r in rows)
    ids = [[PAD] * (width - len(r)) + r for r in rows]
    mask = [[0] * (width - len(r)) + [1] * len(r) for r in rows]
    return ids, mask


def run(rows, **kwargs):
    ids, mask = batch(rows)
    with torch.no_grad():
        out = model.generate(input_ids=torch.tensor(ids), attention_mask=torch.tensor(mask), pad_token_id=PAD,
                             **kwargs)
    return {"kwargs": kwargs, "input_ids": ids, "attention_mask": mask, "output_ids": out.tolist()}


greedy = run(prompts, max_new_tokens=10)
# an eos that greedy decoding reaches early in row 0, so that finished rows and beam hypotheses are exercised
eos = greedy["output_ids"][0][len(greedy["input_ids"][0]) + 3]
cases = {
    "greedy": greedy,
    "greedy_row0_alone": run(prompts[:1], max_new_tokens=10),
    "greedy_row1_alone": run(prompts[1:], max_new_tokens=10),
    "greedy_eos": run(prompts, max_new_tokens=10, eos_token_id=eos),
    "greedy_processors": run(prompts, max_new_tokens=12, eos_token_id=eos, repetition_penalty=1.3,
                             no_repeat_ngram_size=2, bad_words_ids=[[5], [7, 8]], min_new_tokens=6),
    "greedy_max_length": run(prompts, max_length=9),
    "beam3": run(prompts, max_new_tokens=8, num_beams=3),
    "beam3_eos_two_returned": run(prompts, max_new_tokens=8, num_beams=3, eos_token_id=eos,
                                  num_return_sequences=2),
    "beam3_length_penalty_early": run(prompts, max_new_tokens=8, num_beams=3, eos_token_id=eos,
                                      length_penalty=0.5, early_stopping=True),
    "beam4_never": run(prompts, max_new_tokens=6, num_beams=4, eos_token_id=eos, early_stopping="never",
                       length_penalty=2.0),
}
meta = {"model_dir": "tiny-gpt2", "eos_used": eos, "transformers": __import__("transformers").__version__,
        "torch": torch.__version__}
with open(out_path, "w") as f:
    json.dump({"meta": meta, "cases": cases}, f, indent=1)
print("wrote", out_path, "eos", eos)
