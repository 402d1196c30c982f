"""Tiny random Llama models and real transformers 4.31 outputs on them, for LlamaTest.

    . /tmp/hfref/env.sh && /usr/bin/python3 scripts/reference/make_llama.py core/src/test/resources/hf-tiny-decoders

tiny-llama: grouped-query attention (4 heads, 2 key/value heads), linear rope scaling (factor 2), untied lm_head.
tiny-llama-dynamic: dynamic NTK rope scaling, max_position_embeddings 8, run on 12 tokens so the scaling acts;
tied embeddings. Every parameter is random (RMSNorm weights included). Outputs: logits on a left-padded batch,
and generate's ids (greedy and 3 beams).
"""
import json
import os
import sys

import torch
from transformers import LlamaConfig, LlamaForCausalLM

out_dir = sys.argv[1]
torch.manual_seed(0)


def make(name, **overrides):
    cfg = dict(vocab_size=100, hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4,
               num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-6, bos_token_id=1,
               eos_token_id=2, pad_token_id=0)
    cfg.update(overrides)
    model = LlamaForCausalLM(LlamaConfig(**cfg)).eval()
    with torch.no_grad():
        for n, p in model.named_parameters():
            p.copy_(torch.randn_like(p) * (0.3 if p.dim() > 1 else 0.2) + (1.0 if "norm" in n else 0.0))
    model.save_pretrained(os.path.join(out_dir, name), safe_serialization=True)
    return model


def outputs(model, rows, new_tokens):
    width = max(len(r) for r in rows)
    ids = torch.tensor([[0] * (width - len(r)) + r for r in rows])
    mask = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rows])
    with torch.no_grad():
        position_ids = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)
        logits = model(input_ids=ids, attention_mask=mask, position_ids=position_ids).logits
        greedy = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=new_tokens)
        beams = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=new_tokens, num_beams=3)
    return {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "position_ids": position_ids.tolist(),
            "logits": logits.tolist(), "greedy": greedy.tolist(), "beam3": beams.tolist(),
            "max_new_tokens": new_tokens}


rows = [[5, 17, 33, 8, 91, 4, 3], [55, 12, 3, 77]]
long_rows = [[5, 17, 33, 8, 91, 4, 3, 44, 61, 22, 9, 70], [55, 12, 3, 77, 18, 6, 40, 29]]
expected = {
    "tiny-llama": outputs(make("tiny-llama", rope_scaling={"type": "linear", "factor": 2.0}), rows, 8),
    "tiny-llama-dynamic": outputs(make("tiny-llama-dynamic", max_position_embeddings=8, tie_word_embeddings=True,
                                       rope_scaling={"type": "dynamic", "factor": 2.0}), long_rows, 4),
}
meta = {"transformers": __import__("transformers").__version__, "torch": torch.__version__}
with open(os.path.join(out_dir, "expected.json"), "w") as f:
    json.dump({"meta": meta, "models": expected}, f)
for name in expected:
    print(name, os.listdir(os.path.join(out_dir, name)))
