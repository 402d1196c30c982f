"""Tiny BERT models with a WordPiece vocab.txt, and what transformers 4.31's pipelines return on them.

    . /tmp/hfref/env.sh && /usr/bin/python3 scripts/reference/make_pipelines.py core/src/test/resources/hf-tiny-pipelines

Writes (save_pretrained, safe_serialization=True, plus vocab.txt / tokenizer_config.json, a slow BertTokenizer):
  tiny-bert-sentiment   BertForSequenceClassification, labels NEGATIVE / POSITIVE
  tiny-bert-multilabel  BertForSequenceClassification, 3 labels, problem_type multi_label_classification
  tiny-bert-regression  BertForSequenceClassification, 1 label
  tiny-bert-base        BertModel (feature extraction)
  tiny-bert-mlm         BertForMaskedLM (fill-mask)
  tiny-bert-nli         BertForSequenceClassification, contradiction / neutral / entailment (zero-shot)
  tiny-bert-ner         BertForTokenClassification, O / B-PER / I-PER / B-LOC / I-LOC / B-ORG / I-ORG
  tiny-bert-qa          BertForQuestionAnswering

Question answering runs on the slow tokenizer's path (SQuAD features, answers in whole whitespace words). On
contexts of whole vocabulary words without punctuation in one window (no [UNK], which the slow path's special
tokens mask leaves out of answers and the fast one does not), that path and the fast one (answers aligned to
words) give the same spans, which is what the Java side, fast, is compared with. Each context ends in a space:
the slow path's end of an answer that ends the context is its last character, not the one after.

Token classification: Debian has no `tokenizers` wheel, so transformers has only the slow BertTokenizer, which
gives no offsets. FastLike below is that tokenizer presenting itself as a fast WordPiece one (is_fast, the "##"
continuing-subword prefix the pipeline reads), and each call passes the pipeline the offsets a fast BERT
tokenizer gives, computed here by aligning the word pieces with the text: transformers' own code then computes
the entities (every aggregation strategy) as it does for a fast tokenizer.
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
from types import SimpleNamespace

from transformers import BertConfig, BertForMaskedLM, BertForQuestionAnswering, BertForSequenceClassification, BertForTokenClassification, BertModel, BertTokenizer, pipeline

out_dir = sys.argv[1] if len(sys.argv) > 1 else "core/src/test/resources/hf-tiny-pipelines"
os.makedirs(out_dir, exist_ok=True)

WORDS = """the a an this that it is was were be film movie phone book i you we they loved love hated hate
great good bad awful terrible wonderful boring fun not very really and but or of to in on at with for after
day minute every broke works work battery screen story actor plot ending music was are my its so too
""".split()
PIECES = ["##s", "##ed", "##ing", "##ly", "##er", "##y", "!", ".", ",", "?", "'"]
VOCAB = list(dict.fromkeys(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + WORDS + PIECES))

NER_LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]

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
    "tiny-bert-qa": build("tiny-bert-qa", BertForQuestionAnswering, 9),
    "tiny-bert-ner": build("tiny-bert-ner", BertForTokenClassification, 7,
                           id2label=dict(enumerate(NER_LABELS)), label2id={l: i for i, l in enumerate(NER_LABELS)}),
}

ONE = "I loved this film, the ending was wonderful!"
MANY = [ONE, "The battery broke after a day.", "It is a phone", "not very good, not very bad"]

calls = []


class FastLike(BertTokenizer):
    is_fast = True
    _tokenizer = SimpleNamespace(model=SimpleNamespace(continuing_subword_prefix="##"))

    def __call__(self, text, **kwargs):
        kwargs.pop("return_offsets_mapping", None)
        return super().__call__(text, **kwargs)

    def convert_tokens_to_string(self, tokens):
        """The fast tokenizer's WordPiece decoder (tokenizers 0.13): "##" joins, others get a space, each token
        cleaned up (" ." -> ".", ...)."""
        out = []
        for i, token in enumerate(tokens):
            if i != 0:
                token = token[2:] if token.startswith("##") else " " + token
            for dirty, clean in [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                                 (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")]:
                token = token.replace(dirty, clean)
            out.append(token)
        return "".join(out)


def offsets(tok, sentence):
    """[(start, end)] of each token of tok(sentence), [CLS] and [SEP] (0, 0), as a fast BERT tokenizer gives."""
    lower = sentence.lower()
    spans, cursor = [(0, 0)], 0
    for word in tok.basic_tokenizer.tokenize(sentence):
        start = lower.index(word, cursor)
        cursor = start + len(word)
        pieces = tok.wordpiece_tokenizer.tokenize(word)
        if pieces == [tok.unk_token]:
            spans.append((start, cursor))
            continue
        for piece in pieces:
            length = len(piece) - 2 if piece.startswith("##") else len(piece)
            spans.append((start, start + length))
            start += length
    spans.append((0, 0))
    assert len(spans) == len(tok(sentence)["input_ids"]), sentence
    return spans


def record_ner(inputs, **kwargs):
    tok = FastLike.from_pretrained(models["tiny-bert-ner"])
    pipe = pipeline("token-classification", model=models["tiny-bert-ner"], tokenizer=tok, framework="pt")
    texts = inputs if isinstance(inputs, list) else [inputs]
    outs = []
    with torch.no_grad():
        for text in texts:
            outs.append(pipe(text, offset_mapping=[offsets(tok, text)], **kwargs))
    calls.append({"model": "tiny-bert-ner", "task": "ner", "inputs": inputs, "kwargs": kwargs,
                  "output": outs if isinstance(inputs, list) else outs[0]})


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

NER = "My friend Alice moved from Paris to the screen works of Berlin, loved its boringly fun phones."
NER_TEXTS = [NER, "the actor in London hated the ending", "Alice and Bob work in Rome"]


def tune_ner(d):
    """A random encoder gives every token nearly the same hidden state: the classifier scores the distance from
    the mean token of the test texts instead, so that labels change from token to token and groups form and split."""
    model = BertForTokenClassification.from_pretrained(d)
    tok = BertTokenizer.from_pretrained(d)
    enc = tok(NER_TEXTS, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model.bert(**enc)[0][enc["attention_mask"].bool()]
        mean = hidden.mean(0)
        torch.manual_seed(8)
        w = torch.randn(len(NER_LABELS), BERT["hidden_size"])
        w *= 2.5 / ((hidden - mean) @ w.T).std()
        model.classifier.weight.copy_(w)
        model.classifier.bias.copy_(-(w @ mean))
        model.classifier.bias[0] += 1.0  # more "O", which the pipeline leaves out
    model.save_pretrained(d, safe_serialization=True)


tune_ner(models["tiny-bert-ner"])
record_ner(NER)
for strategy in ["none", "simple", "first", "average", "max"]:
    record_ner(NER, aggregation_strategy=strategy)
record_ner(NER_TEXTS[:2], aggregation_strategy="simple")
record_ner(NER_TEXTS[2], ignore_labels=[])

CONTEXT = "my actor loved the film but the phone was very bad and the battery broke after a day "
record("tiny-bert-qa", "question-answering", {"question": "what broke", "context": CONTEXT})
record("tiny-bert-qa", "question-answering", {"question": "what was bad", "context": CONTEXT}, top_k=3)
record("tiny-bert-qa", "question-answering", [{"question": "who loved the film", "context": CONTEXT},
                                              {"question": "what is it", "context": "it is a good book "}])
record("tiny-bert-qa", "question-answering", {"question": "what broke", "context": CONTEXT},
       handle_impossible_answer=True, top_k=2)
record("tiny-bert-qa", "question-answering", {"question": "what broke", "context": CONTEXT}, max_answer_len=2,
       top_k=4)

with open(os.path.join(out_dir, "expected.json"), "w") as f:
    json.dump({"meta": {"transformers": transformers.__version__, "torch": torch.__version__}, "calls": calls}, f,
              default=lambda o: o.item())  # numpy scalars, as the token-classification pipeline returns them
    f.write("\n")
for c in calls:
    print(c["task"], c["model"], c["kwargs"], json.dumps(c["output"], default=lambda o: o.item())[:300])
