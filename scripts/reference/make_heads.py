"""Tiny random multiple-choice and question-answering heads and real transformers 4.31 outputs on them.

    . /tmp/hfref/env.sh && /usr/bin/python3 scripts/reference/make_heads.py core/src/test/resources/hf-tiny-heads

Writes six folders (save_pretrained, safe_serialization=True: config.json + model.safetensors):
  tiny-bert-mc BertForMultipleChoice             tiny-bert-qa BertForQuestionAnswering
  tiny-distilbert-mc DistilBertForMultipleChoice tiny-distilbert-qa DistilBertForQuestionAnswering
  tiny-roberta-mc RobertaForMultipleChoice       tiny-roberta-qa RobertaForQuestionAnswering
Sizes: vocab 100, hidden 32 (DistilBERT dim 32, hidden_dim 37), 2 layers, 2 heads, intermediate 37,
64 positions; BERT type_vocab_size 2, RoBERTa type_vocab_size 1 and pad 1; other config values default.
Every parameter is random (torch.manual_seed(0) per model): randn * 0.3, LayerNorm weights + 1.0, so biases,
layer norms and the (MC) pooler all count. Outputs in eval mode, no_grad, float32, in expected.json:
QA: start_logits/end_logits [B,S] for a 2x7 batch, and the loss for start_positions [3,1], end_positions [5,2];
MC: logits [2,3] for input_ids [2,3,6] (some choices padded), and the loss for labels [2,0].
"""
import json
import os
import sys

import torch
import transformers
from transformers import (BertConfig, BertForMultipleChoice, BertForQuestionAnswering, DistilBertConfig,
                          DistilBertForMultipleChoice, DistilBertForQuestionAnswering, RobertaConfig,
                          RobertaForMultipleChoice, RobertaForQuestionAnswering)

out_dir = sys.argv[1] if len(sys.argv) > 1 else "core/src/test/resources/hf-tiny-heads"

BERT = dict(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=37,
            max_position_embeddings=64, type_vocab_size=2)
ROBERTA = dict(BERT, type_vocab_size=1, pad_token_id=1)
DISTIL = dict(vocab_size=100, dim=32, hidden_dim=37, n_layers=2, n_heads=2, max_position_embeddings=64)

# QA batch 2 x 7 (BERT/DistilBERT: 2 = [CLS]-like, 3 = [SEP]-like, pad 0; RoBERTa: <s> 0, </s> 2, pad 1)
QA_IDS = [[2, 15, 37, 8, 91, 4, 3], [2, 55, 12, 99, 3, 0, 0]]
QA_IDS_ROBERTA = [[0, 15, 37, 8, 91, 4, 2], [0, 55, 12, 99, 2, 1, 1]]
QA_MASK = [[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0, 0]]
QA_TYPES = [[0, 0, 0, 1, 1, 1, 1], [0, 0, 1, 1, 1, 0, 0]]
START, END = [3, 1], [5, 2]

# MC batch 2 x 3 choices x 6 tokens, some choices padded at the end
MC_IDS = [[[2, 11, 23, 3, 45, 3], [2, 11, 23, 3, 67, 3], [2, 11, 23, 3, 0, 0]],
          [[2, 88, 3, 9, 14, 3], [2, 88, 3, 76, 3, 0], [2, 88, 3, 5, 31, 3]]]
MC_IDS_ROBERTA = [[[0, 11, 23, 2, 45, 2], [0, 11, 23, 2, 67, 2], [0, 11, 23, 2, 1, 1]],
                  [[0, 88, 2, 9, 14, 2], [0, 88, 2, 76, 2, 1], [0, 88, 2, 5, 31, 2]]]
MC_MASK = [[[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]],
           [[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1]]]
MC_TYPES = [[[0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 0]],
            [[0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1, 0], [0, 0, 0, 1, 1, 1]]]
MC_LABELS = [2, 0]


def randomize(model):
    ln_weights = {id(m.weight) for m in model.modules() if isinstance(m, torch.nn.LayerNorm)}
    with torch.no_grad():
        for _, p in model.named_parameters():
            p.copy_(torch.randn_like(p) * 0.3 + (1.0 if id(p) in ln_weights else 0.0))


def build(cls, config):
    torch.manual_seed(0)
    model = cls(config)
    randomize(model)
    model.eval()
    return model


def run(name, model, kind, ids, mask, types):
    model.save_pretrained(os.path.join(out_dir, name), safe_serialization=True)
    inputs = {"input_ids": torch.tensor(ids), "attention_mask": torch.tensor(mask)}
    if types is not None:
        inputs["token_type_ids"] = torch.tensor(types)
    rec = {"class": type(model).__name__, "input_ids": ids, "attention_mask": mask}
    if types is not None:
        rec["token_type_ids"] = types
    with torch.no_grad():
        out = model(**inputs)
        if kind == "qa":
            rec["start_logits"] = out.start_logits.tolist()
            rec["end_logits"] = out.end_logits.tolist()
            lossed = model(**inputs, start_positions=torch.tensor(START), end_positions=torch.tensor(END))
            rec["start_positions"], rec["end_positions"] = START, END
        else:
            rec["logits"] = out.logits.tolist()
            lossed = model(**inputs, labels=torch.tensor(MC_LABELS))
            rec["labels"] = MC_LABELS
        rec["loss"] = lossed.loss.item()
    return rec


models = {}
for fam, cfg, mc_cls, qa_cls, types in [
        ("bert", BertConfig(**BERT), BertForMultipleChoice, BertForQuestionAnswering, True),
        ("distilbert", DistilBertConfig(**DISTIL), DistilBertForMultipleChoice, DistilBertForQuestionAnswering, False),
        ("roberta", RobertaConfig(**ROBERTA), RobertaForMultipleChoice, RobertaForQuestionAnswering, False)]:
    rob = fam == "roberta"
    models[f"tiny-{fam}-mc"] = run(f"tiny-{fam}-mc", build(mc_cls, cfg), "mc", MC_IDS_ROBERTA if rob else MC_IDS,
                                   MC_MASK, MC_TYPES if types else None)
    models[f"tiny-{fam}-qa"] = run(f"tiny-{fam}-qa", build(qa_cls, cfg), "qa", QA_IDS_ROBERTA if rob else QA_IDS,
                                   QA_MASK, QA_TYPES if types else None)

with open(os.path.join(out_dir, "expected.json"), "w") as f:
    json.dump({"meta": {"transformers": transformers.__version__, "torch": torch.__version__}, "models": models},
              f, indent=1)
    f.write("\n")

for name, rec in models.items():
    d = os.path.join(out_dir, name)
    size = sum(os.path.getsize(os.path.join(d, x)) for x in os.listdir(d))
    print(f"{name:20s} {rec['class']:32s} {sorted(os.listdir(d))} {size} bytes  loss {rec['loss']:.6f}")
