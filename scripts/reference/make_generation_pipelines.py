"""Tiny generating models with SentencePiece tokenizers, and what transformers 4.31's generation pipelines return.

    apt-get install -y python3-sentencepiece python3-protobuf
    . /tmp/hfref/env.sh && /usr/bin/python3 scripts/reference/make_generation_pipelines.py \
        core/src/test/resources/hf-tiny-pipelines core/src/test/resources/spm

Writes (save_pretrained, safe_serialization=True, with the slow tokenizer's files beside the model):
  tiny-llama-gen   LlamaForCausalLM on tiny-llama-spm's tokenizer (text-generation), model_max_length 16 so that
                   handle_long_generation="hole" cuts prompts
  tiny-t5-gen      T5ForConditionalGeneration on tiny-t5-spm's tokenizer, with task_specific_params for
                   summarization and translation_en_to_de (prefix and generation settings, as t5-small has them)
  tiny-marian-gen  MarianMTModel on tiny-marian-spm's tokenizers (translation without task params)
Every parameter random (torch.manual_seed per model, randn * 0.3, norm weights + 1.0), eval mode, float32. Calls
use greedy search and beam search only: sampling draws from torch's generator, which Java does not reproduce.
Output: generation.json, `calls` as in expected.json: {model, task, inputs, kwargs, output}.
"""
import json
import os
import re
import shutil
import sys

import torch
import transformers
import transformers.models.bert

# Debian has no `tokenizers` wheel; the pipelines module imports BertTokenizerFast only for an isinstance check
transformers.models.bert.BertTokenizerFast = type("BertTokenizerFast", (), {})
from transformers import (LlamaConfig, LlamaForCausalLM, LlamaTokenizer, MarianConfig, MarianMTModel,
                          MarianTokenizer, T5Config, T5ForConditionalGeneration, T5Tokenizer, pipeline)

out_dir = sys.argv[1] if len(sys.argv) > 1 else "core/src/test/resources/hf-tiny-pipelines"
spm_dir = sys.argv[2] if len(sys.argv) > 2 else "core/src/test/resources/spm"


def randomize(model, seed):
    torch.manual_seed(seed)
    with torch.no_grad():
        for n, p in model.named_parameters():
            p.copy_(torch.randn_like(p) * 0.3 + (1.0 if "norm" in n.lower() else 0.0))
    return model.eval()


def save(name, model, tokenizer_dir, tokenizer_cls, **tokenizer_kwargs):
    d = os.path.join(out_dir, name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    model.save_pretrained(d, safe_serialization=True)
    tokenizer_cls.from_pretrained(os.path.join(spm_dir, tokenizer_dir), **tokenizer_kwargs).save_pretrained(d)
    return d


llama = randomize(LlamaForCausalLM(LlamaConfig(
    vocab_size=450, hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=4,
    num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-6, bos_token_id=1, eos_token_id=2,
    pad_token_id=None)), 11)
T5_TASKS = {
    "summarization": {"early_stopping": True, "length_penalty": 2.0, "max_length": 12, "min_length": 4,
                      "no_repeat_ngram_size": 3, "num_beams": 2, "prefix": "summarize: "},
    "translation_en_to_de": {"early_stopping": True, "max_length": 10, "num_beams": 2,
                             "prefix": "translate English to German: "},
}
t5 = randomize(T5ForConditionalGeneration(T5Config(
    vocab_size=185, d_model=16, d_kv=6, d_ff=24, num_layers=2, num_decoder_layers=2, num_heads=4,
    relative_attention_num_buckets=8, relative_attention_max_distance=16, dropout_rate=0.0,
    decoder_start_token_id=0, pad_token_id=0, eos_token_id=1, task_specific_params=T5_TASKS)), 12)
with torch.no_grad():
    t5.shared.weight[1] *= 0.5  # eos less likely first, so that most outputs have words
marian = randomize(MarianMTModel(MarianConfig(
    vocab_size=200, d_model=16, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
    decoder_attention_heads=4, encoder_ffn_dim=24, decoder_ffn_dim=24, max_position_embeddings=64,
    pad_token_id=199, eos_token_id=0, decoder_start_token_id=199, forced_eos_token_id=0, max_length=12,
    num_beams=2)), 23)

models = {
    "tiny-llama-gen": save("tiny-llama-gen", llama, "tiny-llama-spm", LlamaTokenizer, model_max_length=16),
    "tiny-t5-gen": save("tiny-t5-gen", t5, "tiny-t5-spm", T5Tokenizer),
    "tiny-marian-gen": save("tiny-marian-gen", marian, "tiny-marian-spm", MarianTokenizer),
}
TOKENIZERS = {"tiny-llama-gen": LlamaTokenizer, "tiny-t5-gen": T5Tokenizer, "tiny-marian-gen": MarianTokenizer}
calls = []


def plain(o):
    if isinstance(o, torch.Tensor):
        return o.tolist()
    if isinstance(o, dict):
        return {k: plain(v) for k, v in o.items()}
    if isinstance(o, list):
        return [plain(v) for v in o]
    return o


class FastByteFallback:
    """The slow LlamaTokenizer's SentencePiece model, decoding as the fast tokenizer (and so Javaformers) does.

    A run of byte-fallback pieces that is not valid UTF-8 becomes one U+FFFD per byte in `tokenizers`'
    ByteFallback decoder, while SentencePiece's own decode replaces only the bytes that break the sequence; a
    random model makes such runs. Everything else is SentencePiece's decode."""

    def __init__(self, sp):
        self.sp = sp

    def __getattr__(self, name):
        return getattr(self.sp, name)

    def decode(self, pieces):
        out, run, invalid = [], bytearray(), False
        for piece in list(pieces) + [None]:
            m = re.fullmatch(r"<0x([0-9A-F]{2})>", piece) if piece is not None else None
            if m:
                run.append(int(m.group(1), 16))
                continue
            if run:
                try:
                    out.append(run.decode("utf-8"))
                except UnicodeDecodeError:
                    out.append("\ufffd" * len(run))
                    invalid = True
                run.clear()
            if piece is not None:
                out.append(piece.replace("\u2581", " "))
        text = "".join(out)
        text = text[1:] if pieces and pieces[0].startswith("\u2581") else text
        if not invalid:
            assert text == self.sp.decode(pieces), (pieces, text, self.sp.decode(pieces))
        return text


def record(model, task, inputs, **kwargs):
    # a fresh model each call: pipelines write task_specific_params into the model's config
    path = models[model]
    tokenizer = TOKENIZERS[model].from_pretrained(path)  # the slow class: AutoTokenizer would ask for a fast one
    if isinstance(tokenizer, LlamaTokenizer):
        tokenizer.sp_model = FastByteFallback(tokenizer.sp_model)
    pipe = pipeline(task, model=path, tokenizer=tokenizer, framework="pt")
    out = plain(pipe(inputs, **kwargs))
    calls.append({"model": model, "task": task, "inputs": inputs, "kwargs": kwargs, "output": out})


PROMPTS = ["The weather is", "Where is the railway", "I would like a cup of"]
record("tiny-llama-gen", "text-generation", PROMPTS[0])
record("tiny-llama-gen", "text-generation", PROMPTS, max_new_tokens=5)
record("tiny-llama-gen", "text-generation", PROMPTS[1], max_new_tokens=6, return_full_text=False)
record("tiny-llama-gen", "text-generation", PROMPTS[2], max_new_tokens=5, num_beams=3, num_return_sequences=2)
record("tiny-llama-gen", "text-generation", PROMPTS[0], max_new_tokens=4, return_tensors=True)
record("tiny-llama-gen", "text-generation", PROMPTS[0], prefix="My brother has been ")
record("tiny-llama-gen", "text-generation", PROMPTS[1], max_new_tokens=8, stop_sequence="sch")
record("tiny-llama-gen", "text-generation", PROMPTS[2], max_new_tokens=8, repetition_penalty=1.5,
       no_repeat_ngram_size=2)
record("tiny-llama-gen", "text-generation", "The teacher explained the rules of the game to the pupils, "
       "and they played it", max_new_tokens=6, handle_long_generation="hole")
record("tiny-llama-gen", "text-generation", "", max_new_tokens=5)

SOURCES = ["The house is small.", "We read the newspaper every morning.", "Where is the station?"]
record("tiny-t5-gen", "text2text-generation", "translate English to German: " + SOURCES[0])
record("tiny-t5-gen", "text2text-generation", SOURCES, max_new_tokens=6)
record("tiny-t5-gen", "text2text-generation", SOURCES[1], num_beams=3, num_return_sequences=2, max_length=8)
record("tiny-t5-gen", "text2text-generation", SOURCES[2], return_tensors=True, max_length=6)
record("tiny-t5-gen", "text2text-generation", SOURCES[2], clean_up_tokenization_spaces=True, max_length=8)
record("tiny-t5-gen", "summarization", "My brother has been working in the hospital for seven years.")
record("tiny-t5-gen", "summarization", SOURCES, min_length=2, max_length=7)
record("tiny-t5-gen", "translation_en_to_de", SOURCES[0])
record("tiny-t5-gen", "translation", SOURCES)
record("tiny-marian-gen", "translation", SOURCES[1])
record("tiny-marian-gen", "translation", SOURCES, num_beams=1, max_new_tokens=5)

with open(os.path.join(out_dir, "generation.json"), "w") as f:
    json.dump({"meta": {"transformers": transformers.__version__, "torch": torch.__version__}, "calls": calls}, f,
              indent=1)
for c in calls:
    print(c["task"], c["model"], c["kwargs"], json.dumps(c["output"])[:300])
