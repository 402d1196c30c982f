"""Tiny random decoder variants and transformers 4.31 outputs on them, for DecoderVariantsTest.

    . /tmp/hfref/env.sh && /usr/bin/python3 scripts/reference/make_decoder_variants.py core/src/test/resources/hf-tiny-decoders

tiny-gpt2-cls, tiny-llama-cls: GPT2/LlamaForSequenceClassification (3 labels, pad 0), right-padded batch: logits
and loss, plain transformers 4.31.

transformers 4.31 has no Qwen2, Mistral or llama3 rope (they came in 4.34-4.43), so those references run 4.31's
Llama code with the one difference each has, patched in here:
- tiny-qwen2: q/k/v projections with biases (o_proj without), rope_theta 1e6 (4.31 fixes 10000: inv_freq is
  recomputed with the base), saved under Qwen2's config (model_type qwen2).
- tiny-mistral: sliding_window 3: a query at position q sees keys k with q - k < 3 (the mask later transformers
  builds), added to 4.31's causal + padding mask.
- tiny-llama3: rope_scaling {"rope_type": "llama3", ...}: inv_freq rescaled by the formula of transformers'
  _compute_llama3_parameters (long wavelengths divided by the factor, short kept, the middle interpolated).
Outputs: logits on a left-padded batch, and generate's ids (greedy and 3 beams).
"""
import json
import math
import os
import sys

import torch
from safetensors.torch import save_file
from transformers import (GPT2Config, GPT2ForSequenceClassification, LlamaConfig, LlamaForCausalLM,
                          LlamaForSequenceClassification)
from transformers.models.llama import modeling_llama

out_dir = sys.argv[1]
torch.manual_seed(0)

LLAMA = dict(vocab_size=100, hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4,
             num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-6, bos_token_id=1,
             eos_token_id=2, pad_token_id=0)


def randomize(model):
    with torch.no_grad():
        for n, p in model.named_parameters():
            p.copy_(torch.randn_like(p) * (0.3 if p.dim() > 1 else 0.2) + (1.0 if "norm" in n else 0.0))


def set_inv_freq(model, inv_freq):
    for layer in model.model.layers:
        rope = layer.self_attn.rotary_emb
        rope.inv_freq = inv_freq.clone()
        rope._set_cos_sin_cache(seq_len=rope.max_position_embeddings, device=None, dtype=torch.float32)


def base_inv_freq(base, dim):
    return 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))


def llama3_inv_freq(inv_freq, factor, low_freq_factor, high_freq_factor, old_context_len):
    low_freq_wavelen = old_context_len / low_freq_factor
    high_freq_wavelen = old_context_len / high_freq_factor
    wavelen = 2 * math.pi / inv_freq
    scaled = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    smooth = (old_context_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
    smoothed = (1 - smooth) * scaled / factor + smooth * scaled
    medium = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
    return torch.where(medium, smoothed, scaled)


def save(model, name, config):
    """The weights without 4.31's inv_freq buffers (later transformers do not save them) and the given config."""
    path = os.path.join(out_dir, name)
    os.makedirs(path, exist_ok=True)
    state = {k: v.contiguous() for k, v in model.state_dict().items() if not k.endswith("inv_freq")}
    if config.get("tie_word_embeddings"):
        state.pop("lm_head.weight", None)
    save_file(state, os.path.join(path, "model.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(path, "config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)


def generated(model, rows, new_tokens):
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


def config_json(model_type, architecture, **fields):
    cfg = dict(LLAMA, model_type=model_type, architectures=[architecture], hidden_act="silu",
               initializer_range=0.02, tie_word_embeddings=False, rope_theta=10000.0, rope_scaling=None,
               use_cache=True, attention_dropout=0.0, torch_dtype="float32", transformers_version="4.31.0")
    cfg.update(fields)
    return cfg


rows = [[5, 17, 33, 8, 91, 4, 3], [55, 12, 3, 77]]
expected = {}

# Qwen2: biases on q, k, v.
qwen = LlamaForCausalLM(LlamaConfig(**LLAMA)).eval()
for layer in qwen.model.layers:
    attn = layer.self_attn
    for proj in ("q_proj", "k_proj", "v_proj"):
        old = getattr(attn, proj)
        setattr(attn, proj, torch.nn.Linear(old.in_features, old.out_features, bias=True))
randomize(qwen)
set_inv_freq(qwen, base_inv_freq(1e6, 8))
save(qwen, "tiny-qwen2", config_json("qwen2", "Qwen2ForCausalLM", rope_theta=1e6, use_sliding_window=False,
                                     sliding_window=4096, max_window_layers=28))
expected["tiny-qwen2"] = generated(qwen, rows, 8)

# Mistral: a sliding window of 3 over the causal mask.
WINDOW = 3
original_mask = modeling_llama.LlamaModel._prepare_decoder_attention_mask


def windowed_mask(self, attention_mask, input_shape, inputs_embeds, past_key_values_length):
    mask = original_mask(self, attention_mask, input_shape, inputs_embeds, past_key_values_length)
    tokens = input_shape[-1]
    query = torch.arange(past_key_values_length, past_key_values_length + tokens)[:, None]
    key = torch.arange(past_key_values_length + tokens)[None, :]
    outside = (query - key) >= WINDOW
    return mask.masked_fill(outside[None, None], torch.finfo(inputs_embeds.dtype).min)


mistral = LlamaForCausalLM(LlamaConfig(**LLAMA)).eval()
randomize(mistral)
modeling_llama.LlamaModel._prepare_decoder_attention_mask = windowed_mask
save(mistral, "tiny-mistral", config_json("mistral", "MistralForCausalLM", sliding_window=WINDOW))
expected["tiny-mistral"] = generated(mistral, rows, 8)
modeling_llama.LlamaModel._prepare_decoder_attention_mask = original_mask

# Llama 3 rope: rope_theta 10 so that the 4 frequencies of a head of 8 fall in all three bands (wavelengths 6.3,
# 11.2, 19.9 and 35.3 against 32 / 4 = 8 and 32 / 1 = 32).
scaling = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
           "original_max_position_embeddings": 32}
llama3 = LlamaForCausalLM(LlamaConfig(**LLAMA)).eval()
randomize(llama3)
set_inv_freq(llama3, llama3_inv_freq(base_inv_freq(10.0, 8), 8.0, 1.0, 4.0, 32))
save(llama3, "tiny-llama3", config_json("llama", "LlamaForCausalLM", rope_theta=10.0, rope_scaling=scaling,
                                        attention_bias=False, mlp_bias=False))
expected["tiny-llama3"] = generated(llama3, rows, 8)

# Sequence classification on the last non-pad token, right-padded rows.
cls_rows = [[5, 17, 33, 8, 91, 4, 3], [55, 12, 3, 77, 0, 0, 0]]
labels = torch.tensor([2, 0])
for name, model in {
    "tiny-gpt2-cls": GPT2ForSequenceClassification(GPT2Config(vocab_size=100, n_embd=32, n_layer=2, n_head=4,
                                                              n_positions=64, pad_token_id=0, num_labels=3)),
    "tiny-llama-cls": LlamaForSequenceClassification(LlamaConfig(**LLAMA, num_labels=3)),
}.items():
    model.eval()
    randomize(model)
    model.save_pretrained(os.path.join(out_dir, name), safe_serialization=True)
    ids = torch.tensor(cls_rows)
    mask = (ids != 0).long()
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, labels=labels)
    expected[name] = {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "labels": labels.tolist(),
                      "logits": out.logits.tolist(), "loss": out.loss.item()}

meta = {"transformers": __import__("transformers").__version__, "torch": torch.__version__}
with open(os.path.join(out_dir, "expected-variants.json"), "w") as f:
    json.dump({"meta": meta, "models": expected}, f)
for name in expected:
    print(name, sorted(os.listdir(os.path.join(out_dir, name))))
