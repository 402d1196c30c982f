"""Four training steps in real PyTorch, as transformers 4.31's Trainer takes them, on two tiny models.

    . /tmp/hfref/env.sh && /usr/bin/python3 scripts/reference/make_train_steps.py core/src/test/resources/hf-tiny-train

For hf-tiny/tiny-bert-cls (BertForSequenceClassification, labels) and hf-tiny/tiny-gpt2 (GPT2LMHeadModel, labels
= input_ids): dropout 0 so the steps are deterministic, train mode, one fixed padded batch, and per step: the
loss, loss.backward(), clip_grad_norm_(1.0) (its returned norm), AdamW(lr 1e-3, betas 0.9/0.999, eps 1e-8,
weight decay 0.1) with the Trainer's groups: no decay for names containing "bias" and for LayerNorm parameters.
Writes <name>.json (inputs, losses, grad norms, decayed names) and <name>.safetensors (the weights after the four
steps, and AdamW's exp_avg / exp_avg_sq for each, as "<name>.exp_avg").
"""
import json
import os
import sys

import torch
from safetensors.torch import save_file
from transformers import BertForSequenceClassification, GPT2LMHeadModel
from transformers.pytorch_utils import ALL_LAYERNORM_LAYERS
from transformers.trainer_pt_utils import get_parameter_names

out_dir = sys.argv[1] if len(sys.argv) > 1 else "core/src/test/resources/hf-tiny-train"
tiny = os.path.join(os.path.dirname(out_dir.rstrip("/")), "hf-tiny")
os.makedirs(out_dir, exist_ok=True)

IDS = [[2, 15, 37, 8, 91, 4, 3], [2, 55, 12, 99, 3, 0, 0]]
MASK = [[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0, 0]]
STEPS, LR, WD = 4, 1e-3, 0.1

cases = {
    "tiny-bert-cls": (BertForSequenceClassification, dict(hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0),
                      lambda ids: torch.tensor([1, 0])),
    "tiny-gpt2": (GPT2LMHeadModel, dict(resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0),
                  lambda ids: torch.where(torch.tensor(MASK) == 1, ids, torch.tensor(-100))),
}

for name, (cls, no_dropout, labels_of) in cases.items():
    model = cls.from_pretrained(os.path.join(tiny, name), **no_dropout)
    model.train()
    named = dict(model.named_parameters())  # tied weights appear once, as in the optimizer
    decay = [n for n in get_parameter_names(model, ALL_LAYERNORM_LAYERS) if "bias" not in n and n in named]
    groups = [{"params": [p for n, p in named.items() if n in decay], "weight_decay": WD},
              {"params": [p for n, p in named.items() if n not in decay], "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=LR, betas=(0.9, 0.999), eps=1e-8)
    ids = torch.tensor(IDS)
    losses, norms = [], []
    for _ in range(STEPS):
        loss = model(input_ids=ids, attention_mask=torch.tensor(MASK), labels=labels_of(ids)).loss
        loss.backward()
        norms.append(float(torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)))
        optimizer.step()
        optimizer.zero_grad()
        losses.append(float(loss))
    tensors = {n: p.detach().clone().contiguous() for n, p in named.items()}
    for n, p in named.items():
        state = optimizer.state[p]
        tensors[n + ".exp_avg"] = state["exp_avg"].clone().contiguous()
        tensors[n + ".exp_avg_sq"] = state["exp_avg_sq"].clone().contiguous()
    save_file(tensors, os.path.join(out_dir, name + ".safetensors"))
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump({"model": "hf-tiny/" + name, "class": cls.__name__, "input_ids": IDS, "attention_mask": MASK,
                   "dropout_off": no_dropout, "steps": STEPS, "learning_rate": LR, "weight_decay": WD,
                   "max_grad_norm": 1.0, "losses": losses, "grad_norms": norms, "decayed": sorted(decay),
                   "torch": torch.__version__}, f, indent=1)
    print(name, "losses", losses, "norms", norms)
