"""Tiny random T5 models and real transformers 4.31 outputs on them, for T5Test.

    . /tmp/hfref/env.sh && /usr/bin/python3 scripts/reference/make_t5.py core/src/test/resources/hf-tiny-seq2seq

tiny-t5: feed_forward_proj "relu", tied embeddings (the lm_head input scaled by d_model ** -0.5), 2 encoder and
3 decoder layers, d_kv 6 so that inner_dim (4 heads x 6) differs from d_model 16. tiny-flan-t5: "gated-gelu"
(wi_0, wi_1; gelu_new) and an untied lm_head, as flan-t5 is. relative_attention_max_distance 8 and 7-token
inputs, so that both the exact and the logarithmic buckets are used. Every parameter is random (layer norms
included). Outputs: encoder hidden states, logits for given decoder_input_ids on a padded batch, and the loss
with labels (-100 on padding), as T5ForConditionalGeneration computes them; generate's ids (greedy, 3 beams).
"""
import json
import os
import sys

import torch
from transformers import T5Config, T5ForConditionalGeneration

out_dir = sys.argv[1]
torch.manual_seed(0)


def make(name, **overrides):
    cfg = dict(vocab_size=50, d_model=16, d_kv=6, d_ff=24, num_layers=2, num_decoder_layers=3, num_heads=4,
               relative_attention_num_buckets=8, relative_attention_max_distance=8, dropout_rate=0.0,
               decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)
    cfg.update(overrides)
    model = T5ForConditionalGeneration(T5Config(**cfg)).eval()
    with torch.no_grad():
        for n, p in model.named_parameters():
            p.copy_(torch.randn_like(p) * (0.3 if p.dim() > 1 else 0.2) + (1.0 if "layer_norm" in n else 0.0))
    model.save_pretrained(os.path.join(out_dir, name), safe_serialization=True)
    return model


def outputs(model):
    ids = torch.tensor([[5, 17, 33, 8, 41, 4, 1], [25, 12, 3, 1, 0, 0, 0]])
    mask = (ids != 0).long()
    labels = torch.tensor([[7, 9, 2, 30, 1], [11, 1, -100, -100, -100]])
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, labels=labels)
        greedy = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=8)
        beams = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=8, num_beams=3)
    decoder_input_ids = model._shift_right(labels)
    return {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "labels": labels.tolist(),
            "decoder_input_ids": decoder_input_ids.tolist(),
            "encoder_last_hidden_state": out.encoder_last_hidden_state.tolist(),
            "logits": out.logits.tolist(), "loss": out.loss.item(),
            "greedy": greedy.tolist(), "beam3": beams.tolist(), "max_new_tokens": 8}


expected = {
    "tiny-t5": outputs(make("tiny-t5")),
    "tiny-flan-t5": outputs(make("tiny-flan-t5", feed_forward_proj="gated-gelu", tie_word_embeddings=False)),
}
meta = {"transformers": __import__("transformers").__version__, "torch": torch.__version__}
with open(os.path.join(out_dir, "expected.json"), "w") as f:
    json.dump({"meta": meta, "models": expected}, f)
for name in expected:
    print(name, sorted(os.listdir(os.path.join(out_dir, name))), expected[name]["greedy"])
