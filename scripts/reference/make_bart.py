"""Tiny random BART and Marian models and real transformers 4.31 outputs on them, for BartTest.

    . /tmp/hfref/env.sh && /usr/bin/python3 scripts/reference/make_bart.py core/src/test/resources/hf-tiny-seq2seq

tiny-bart: 2 encoder and 2 decoder layers, d_model 16, 4 heads, learned positions (offset 2), scale_embedding on,
layernorm_embedding, the tied head plus a random final_logits_bias; forced_eos_token_id as BART configs have it.
tiny-marian: BART's layers with sinusoidal positions from 0 (not saved: computed), no layernorm_embedding,
scale_embedding on, pad = decoder_start 59, eos = forced eos 0, as Opus-MT configs have them.
Every other parameter is random (layer norms included). Outputs as make_t5.py's, in expected-<name>.json.
"""
import json
import os
import sys

import torch
from transformers import BartConfig, BartForConditionalGeneration, MarianConfig, MarianMTModel
from transformers.models.bart.modeling_bart import shift_tokens_right

out_dir = sys.argv[1]
SIZES = dict(d_model=16, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4, decoder_attention_heads=4,
             encoder_ffn_dim=24, decoder_ffn_dim=24, max_position_embeddings=32, dropout=0.0, scale_embedding=True)


def make(name, model, ids, labels, pad, start):
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "embed_positions" in n and name == "marian":
                continue  # Marian's sinusoids are fixed
            p.copy_(torch.randn_like(p) * (0.3 if p.dim() > 1 else 0.2)
                    + (1.0 if "layer_norm" in n or "layernorm" in n and n.endswith("weight") else 0.0))
        model.final_logits_bias.copy_(torch.randn_like(model.final_logits_bias) * 0.05)
    model.save_pretrained(os.path.join(out_dir, "tiny-" + name), safe_serialization=True)
    mask = (ids != pad).long()
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, labels=labels)
        greedy = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=8)
        beams = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=8, num_beams=3)
    expected = {"tiny-" + name: {
        "input_ids": ids.tolist(), "attention_mask": mask.tolist(), "labels": labels.tolist(),
        "decoder_input_ids": shift_tokens_right(labels, pad, start).tolist(),
        "encoder_last_hidden_state": out.encoder_last_hidden_state.tolist(), "logits": out.logits.tolist(),
        "loss": out.loss.item(), "greedy": greedy.tolist(), "beam3": beams.tolist(), "max_new_tokens": 8}}
    with open(os.path.join(out_dir, "expected-%s.json" % name), "w") as f:
        json.dump({"meta": {"transformers": __import__("transformers").__version__, "torch": torch.__version__},
                   "models": expected}, f)
    print(name, sorted(os.listdir(os.path.join(out_dir, "tiny-" + name))), greedy.tolist(), beams.tolist())


torch.manual_seed(0)
make("bart", BartForConditionalGeneration(BartConfig(vocab_size=60, pad_token_id=1, bos_token_id=0, eos_token_id=2,
                                                     decoder_start_token_id=2, forced_eos_token_id=2,
                                                     **SIZES)).eval(),
     torch.tensor([[0, 15, 27, 33, 8, 41, 2], [0, 25, 12, 2, 1, 1, 1]]),
     torch.tensor([[0, 7, 9, 30, 2], [0, 11, 2, -100, -100]]), pad=1, start=2)
torch.manual_seed(0)
make("marian", MarianMTModel(MarianConfig(vocab_size=60, pad_token_id=59, eos_token_id=0, decoder_start_token_id=59,
                                          forced_eos_token_id=0, **SIZES)).eval(),
     torch.tensor([[15, 27, 33, 8, 41, 3, 0], [25, 12, 5, 0, 59, 59, 59]]),
     torch.tensor([[7, 9, 30, 4, 0], [11, 6, 0, -100, -100]]), pad=59, start=59)
