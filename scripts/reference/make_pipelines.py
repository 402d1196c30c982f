"""Tiny BERT models with a WordPiece vocab.txt, and what transformers 4.31's pipelines return on them.

    . /tmp/hfref/env.sh && /usr/bin/python3 scripts/reference/make_pipelines.py core/src/test/resources/hf-tiny-pipelines

Writes (save_pretrained, safe_serialization=True, plus vocab.txt / tokenizer_config.json, a slow BertTokenizer):
  tiny-bert-sentiment   BertForSequenceClassification, labels NEGATIVE / POSITIVE
  tiny-bert-multilabel  BertForSequenceClassification, 3 labels, problem_type multi_label_classification
  tiny-bert-regression  BertForSequenceClassification, 1 label
  tiny-bert-base        BertModel (feature extraction)
  tiny-bert-mlm         BertForMaskedLM (fill-mask)
  tiny-bert-nli         BertForSequenceClassification, contradiction / neutral / entailment (zero-shot)
Sizes: the vocab below, hidden 32, 2 layers, 2 heads, intermediate 37, 64 positions; every parameter random
(torch.manual_seed per model, randn * 0.3, LayerNorm weights + 1.0), eval mode, float32.
expected.json: `calls`, each {model, task, inputs, kwargs, output}: the pipeline's return value as JSON.
"""
import json
import os
import sys

import torch
import transformers
import transformers.models.bert

# Debian has no `tokenizers` wheel, so transformers has no fast tokenizers here; the pipelines module imports
# BertTokenizerFast only for an isinstance check in a data collator that these pipelines do not use.
transformers.models.bert.BertTokenizerFast = type("BertTokenizerFast", (), {})
from transformers import BertConfig, BertForMaskedLM, BertForSequenceClassification, BertModel, BertTokenizer, pipeline

out_dir = sys.argv[1] if len(sys.argv) > 1 else "core/src/test/resources/hf-tiny-pipelines"
os.makedirs(out_dir, exist_ok=True)

WORDS = """the a an this that it is was were be film movie phone book i you we they loved love hated hate
great good bad awful terrible wonderful boring fun not very really and but or of to in on at with for after
day minute every broke works work battery screen story actor plot ending music was are my its so too
""".split()
PIECES = ["##s", "##ed", "##ing", "##ly", "##er", "##y", "!", ".", ",", "?", "'"]
VOCAB = list(dict.fromkeys(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + WORDS + PIECES))

BERT = dict(vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
            intermediate_size=37, max_position_embeddings=64, type_vocab_size=2)


def randomize(model):
    ln = {id(m.weight) for m in model.modules() if isinstance(m, torch.nn.LayerNorm)}
    with torch.no_grad():
        for _, p in model.named_parameters():
            p.copy_(torch.randn_like(p) * 0.3 + (1.0 if id(p) in ln else 0.0))


def save(name, model):
    d = os.path.join(out_dir, name)
    model.save_pretrained(d, safe_serialization=True)
    with open(os.path.join(d, "vocab.txt"), "w") as f:
        f.write("\n".join(VOCAB) + "\n")
    BertTokenizer(os.path.join(d, "vocab.txt"), do_lower_case=True, model_max_length=64).save_pretrained(d)
    return d


def build(name, cls, seed, **extra):
    torch.manual_seed(seed)
    model = cls(BertConfig(**BERT, **extra))
    randomize(model)
    model.eval()
    return save(name, model)


models = {
    "tiny-bert-sentiment": build("tiny-bert-sentiment", BertForSequenceClassification, 1,
                                 id2label={0: "NEGATIVE", 1: "POSITIVE"}, label2id={"NEGATIVE": 0, "POSITIVE": 1}),
    "tiny-bert-multilabel": build("tiny-bert-multilabel", BertForSequenceClassification, 2,
                                  id2label={0: "story", 1: "acting", 2: "music"},
                                  label2id={"story": 0, "acting": 1, "music": 2},
                                  problem_type="multi_label_classification"),
    "tiny-bert-regression": build("tiny-bert-regression", BertForSequenceClassification, 3, num_labels=1),
    "tiny-bert-base": build("tiny-bert-base", BertModel, 4),
    "tiny-bert-mlm": build("tiny-bert-mlm", BertForMaskedLM, 5),
    "tiny-bert-nli": build("tiny-bert-nli", BertForSequenceClassification, 6,
                           id2label={0: "contradiction", 1: "neutral", 2: "entailment"},
                           label2id={"contradiction": 0, "neutral": 1, "entailment": 2}),
}

ONE = "I loved this film, the ending was wonderful!"
MANY = [ONE, "The battery broke after a day.", "It is a phone", "not very good, not very bad"]

calls = []


def record(model, task, inputs, **kwargs):
    pipe = pipeline(task, model=models[model], tokenizer=BertTokenizer.from_pretrained(models[model]), framework="pt")
    with torch.no_grad():
        out = pipe(inputs, **kwargs)
    calls.append({"model": model, "task": task, "inputs": inputs, "kwargs": kwargs, "output": out})


record("tiny-bert-sentiment", "sentiment-analysis", ONE)
record("tiny-bert-sentiment", "text-classification", MANY)
record("tiny-bert-sentiment", "text-classification", ONE, top_k=None)
record("tiny-bert-sentiment", "text-classification", MANY, top_k=1)
record("tiny-bert-sentiment", "text-classification", MANY, top_k=2, function_to_apply="sigmoid")
record("tiny-bert-sentiment", "text-classification", ONE, function_to_apply="none")
record("tiny-bert-multilabel", "text-classification", MANY, top_k=None)
record("tiny-bert-multilabel", "text-classification", ONE)
record("tiny-bert-regression", "text-classification", MANY)
record("tiny-bert-sentiment", "text-classification", {"text": "the movie", "text_pair": "it was boring"})
record("tiny-bert-base", "feature-extraction", ONE)
record("tiny-bert-base", "feature-extraction", MANY[1:3])
record("tiny-bert-mlm", "fill-mask", "I loved this [MASK], the ending was wonderful!")
record("tiny-bert-mlm", "fill-mask", ["the [MASK] broke after a day.", "it is a very [MASK] phone"], top_k=3)
record("tiny-bert-mlm", "fill-mask", "the film was [MASK].", targets=["good", "bad", "boring"])
record("tiny-bert-mlm", "fill-mask", "the film was [MASK].", targets=["good", "bad"], top_k=1)
record("tiny-bert-mlm", "fill-mask", "i [MASK] this [MASK] .", top_k=2)
record("tiny-bert-nli", "zero-shot-classification", ONE, candidate_labels=["film", "phone", "book"])
record("tiny-bert-nli", "zero-shot-classification", MANY[:2], candidate_labels="film, phone, battery",
       multi_label=True)
record("tiny-bert-nli", "zero-shot-classification", MANY[1], candidate_labels=["bad"])
record("tiny-bert-nli", "zero-shot-classification", MANY[2], candidate_labels=["good", "bad"],
       hypothesis_template="it is {} .")

with open(os.path.join(out_dir, "expected.json"), "w") as f:
    json.dump({"meta": {"transformers": transformers.__version__, "torch": torch.__version__}, "calls": calls}, f)
    f.write("\n")
for c in calls:
    print(c["task"], c["model"], c["kwargs"], json.dumps(c["output"])[:150])
