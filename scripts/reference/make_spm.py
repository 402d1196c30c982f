"""Tiny SentencePiece tokenizers saved by transformers 4.31's slow tokenizers, and their outputs, for
SentencePieceTest. Slow-only repositories hold these files and no tokenizer.json.

    apt-get install -y python3-sentencepiece python3-protobuf
    . /tmp/hfref/env.sh && /usr/bin/python3 scripts/reference/make_spm.py core/src/test/resources/spm

tiny-t5-spm:     Unigram spiece.model (pad 0, eos 1, unk 2, no bos, as T5's), T5Tokenizer with 5 extra ids.
tiny-marian-spm: Unigram source.spm (English) and target.spm (German) with a joint vocab.json, MarianTokenizer.
tiny-llama-spm:  BPE tokenizer.model with byte fallback (unk 0, bos 1, eos 2), identity normalizer keeping space
                 runs, as Llama's has it; LlamaTokenizer.
The training text is written below (the project's own sentences). Outputs go to expected.json: for each tokenizer
and text, the slow tokenizer's input_ids, tokens and decoded text; Marian also encodes the texts as targets.
"""
import io
import json
import os
import sys

import sentencepiece as spm
from transformers import LlamaTokenizer, MarianTokenizer, T5Tokenizer

out = sys.argv[1]

ENGLISH = """The weather is fine today and the children are playing in the garden.
I would like a cup of coffee with milk, please.
Where is the railway station? It is two streets from here.
My brother has been working in the hospital for seven years.
We read the newspaper every morning before breakfast.
Could you open the window? It is very warm in this room.
She bought three apples, four pears and a kilo of potatoes.
The meeting starts at half past nine on Monday.
They travelled by train from Berlin to Munich last summer.
This book is more interesting than the film.
Please write your name and address on the form.
He did not understand the question, so he asked again.
The museum is closed on Sundays and public holidays.
Our neighbours have a small dog and two cats.
It rained all night, but the morning was bright and clear.
How much does the ticket cost? Twelve euros and fifty cents.
The teacher explained the rules of the game to the pupils.
I have never seen such a beautiful sunset.
The shop around the corner sells fresh bread and cakes.
Would you like to come to the cinema with us tonight?"""

GERMAN = """Das Wetter ist heute schön und die Kinder spielen im Garten.
Ich hätte gern eine Tasse Kaffee mit Milch, bitte.
Wo ist der Bahnhof? Er ist zwei Straßen von hier.
Mein Bruder arbeitet seit sieben Jahren im Krankenhaus.
Wir lesen jeden Morgen vor dem Frühstück die Zeitung.
Könnten Sie das Fenster öffnen? Es ist sehr warm in diesem Zimmer.
Sie kaufte drei Äpfel, vier Birnen und ein Kilo Kartoffeln.
Die Sitzung beginnt am Montag um halb zehn.
Letzten Sommer fuhren sie mit dem Zug von Berlin nach München.
Dieses Buch ist interessanter als der Film.
Bitte schreiben Sie Ihren Namen und Ihre Adresse auf das Formular.
Er verstand die Frage nicht, also fragte er noch einmal.
Das Museum ist sonntags und an Feiertagen geschlossen.
Unsere Nachbarn haben einen kleinen Hund und zwei Katzen.
Es regnete die ganze Nacht, aber der Morgen war hell und klar.
Wie viel kostet die Fahrkarte? Zwölf Euro fünfzig.
Der Lehrer erklärte den Schülern die Spielregeln.
Ich habe noch nie einen so schönen Sonnenuntergang gesehen.
Der Laden um die Ecke verkauft frisches Brot und Kuchen.
Möchtest du heute Abend mit uns ins Kino gehen?"""

# Plain text, NFKC cases (ligature, full-width, superscript), digits, characters the models never saw, runs of
# spaces inside the text, and German for the target side.
TEXTS = [
    "The children are playing in the garden.",
    "Where is the station? Two streets from here!",
    "A \ufb01ne cup of coffee costs 12.50 euros.",
    "\uff21\uff22\uff23 and x\u00b2 are normalised",
    "Unseen letters: \u6f22\u5b57 and \u00e7\u00e0",
    "Two  spaces   inside",
    "Die Kinder spielen im Garten.",
    "Zw\u00f6lf \u00c4pfel f\u00fcr M\u00fcnchen",
]


def train(text, prefix, **kw):
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(text.split("\n")), model_writer=model,
                                   character_coverage=1.0, hard_vocab_limit=False, num_threads=1, **kw)
    path = prefix + ".tmp.model"
    with open(path, "wb") as f:
        f.write(model.getvalue())
    return path


def record(tok, targets=False):
    rows = []
    for text in TEXTS:
        ids = tok(text)["input_ids"]
        row = {"text": text, "input_ids": ids, "tokens": tok.convert_ids_to_tokens(ids)}
        if targets:  # Marian decodes with target.spm: what it decodes is generated target ids
            row["labels"] = tok(text_target=text)["input_ids"]
            row["decoded"] = tok.decode(row["labels"], skip_special_tokens=True)
        else:
            row["decoded"] = tok.decode(ids, skip_special_tokens=True)
        rows.append(row)
    return rows


os.makedirs(out, exist_ok=True)
expected = {}

t5_model = train(ENGLISH + "\n" + GERMAN, os.path.join(out, "t5"), vocab_size=180, model_type="unigram",
                 pad_id=0, eos_id=1, unk_id=2, bos_id=-1)
t5 = T5Tokenizer(t5_model, extra_ids=5, model_max_length=64)
t5.save_pretrained(os.path.join(out, "tiny-t5-spm"))
expected["tiny-t5-spm"] = record(t5)

src = train(ENGLISH, os.path.join(out, "src"), vocab_size=120, model_type="unigram", unk_id=1, bos_id=-1,
            eos_id=0, pad_id=-1)
tgt = train(GERMAN, os.path.join(out, "tgt"), vocab_size=120, model_type="unigram", unk_id=1, bos_id=-1,
            eos_id=0, pad_id=-1)
vocab = {"</s>": 0, "<unk>": 1}
for path in (src, tgt):
    sp = spm.SentencePieceProcessor(model_file=path)
    for i in range(sp.get_piece_size()):
        if not sp.is_control(i) and not sp.is_unknown(i):
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
vocab[">>de<<"] = len(vocab)
vocab["<pad>"] = len(vocab)
vocab_path = os.path.join(out, "vocab.tmp.json")
with open(vocab_path, "w") as f:
    json.dump(vocab, f, ensure_ascii=False)
marian = MarianTokenizer(src, tgt, vocab_path, source_lang="en", target_lang="de", model_max_length=64)
marian.save_pretrained(os.path.join(out, "tiny-marian-spm"))
expected["tiny-marian-spm"] = record(marian, targets=True)

llama_model = train(ENGLISH + "\n" + GERMAN, os.path.join(out, "llama"), vocab_size=450, model_type="bpe", normalization_rule_name="identity",
                    remove_extra_whitespaces=False,
                    byte_fallback=True, unk_id=0, bos_id=1, eos_id=2, pad_id=-1)
llama = LlamaTokenizer(llama_model, model_max_length=64)
# without the tokenizers library (as here) 4.31's fallback AddedToken has no __str__, so the slow tokenizer would
# look up "AddedToken(content='<s>', ...)"; plain strings give what it does with tokenizers installed
llama.bos_token, llama.eos_token, llama.unk_token = "<s>", "</s>", "<unk>"
llama.save_pretrained(os.path.join(out, "tiny-llama-spm"))
expected["tiny-llama-spm"] = record(llama)

for path in (t5_model, src, tgt, llama_model, vocab_path):
    os.remove(path)
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, ensure_ascii=False, indent=1)
print("wrote", out)
