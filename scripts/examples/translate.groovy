// German to English: a small T5, trained from scratch with the Seq2SeqTrainer on the example sentences of the Ding
// dictionary (Debian's trans-de-en, GPL-2+), with a SentencePiece tokenizer trained on them (a slow-only T5
// repository: spiece.model, converted on load). BLEU on held-out pairs is measured after every epoch by generating.
//   scripts/fetch-de-en && scripts/jf run scripts/examples/translate.groovy [epochs=4] [pairs=4000] [out=out]
//   scripts/jf run scripts/examples/translate.groovy epochs=20 pairs=14700     (the longer run)
import dev.javaformers.config.AutoConfig
import dev.javaformers.models.AutoModelForSeq2SeqLM
import java.nio.file.Path

def epochCount = option('epochs', 4)
def pairCount = option('pairs', 4000)
def out = option('out', 'out')
def data = 'out/data'
if (!new File("$data/de-en.tsv").exists()) {
    throw new IllegalStateException("$data/de-en.tsv is missing: run scripts/fetch-de-en first")
}

// A fresh T5 sized for two cores, saved beside its tokenizer so that `model` loads it like any checkpoint.
dev.javaformers.train.Trainer.setSeed(42)
tokenizer "$data/t5-de-en"
def init = Path.of("$out/t5-de-en-init")
AutoModelForSeq2SeqLM.fromConfig(AutoConfig.forModel('t5', [vocab_size: tokenizer().size(), d_model: 128, d_kv: 32,
        num_heads: 4, d_ff: 512, num_layers: 3, num_decoder_layers: 3, dropout_rate: 0.1,
        decoder_start_token_id: 0, pad_token_id: 0, eos_token_id: 1])).withCloseable { it.save(init) }
tokenizer().save(init)
model init.toString() < task 'translation' >

def pairs = csv("$data/de-en.tsv", delimiter: '\t').shuffle(42)
dataset pairs.selectRange(0, Math.min(pairCount, pairs.numRows())) < text 'de', target 'en' >
split 0.05
tokenize 'text' < text_target 'target', max_length 48 >

def examples = splits.split('test').selectRange(0, 4)
def translations = { examples.collect { row -> generate(row.text, { max_new_tokens 40; stream false }) } }
def before = translations()

def metrics = train <
    task 'translation',
    epochs epochCount,
    batch 32,
    lr 2e-3,
    warmup 0.05,
    sortish_sampler true,
    predict_with_generate true,
    generation_max_length 40,
    output "$out/translate-run"
>
trainer.state().logHistory.findAll { it.eval_bleu != null }.unique { it.epoch }.each {
    println "epoch ${it.epoch}: held-out BLEU ${String.format('%.2f', it.eval_bleu)}, eval loss ${String.format('%.3f', it.eval_loss)}"
}
plot loss < file "$out/translate-loss.png" >
plot bleu < file "$out/translate-bleu.png" >
println "charts: $out/translate-loss.png, $out/translate-bleu.png"

def after = translations()
examples.eachWithIndex { row, i ->
    println "\nGerman:    ${row.text}\nreference: ${row.target}\nbefore:    ${before[i]}\nafter:     ${after[i]}"
}

// The final score on all held-out pairs against their raw English text, decoded greedily (as evaluation did) and
// with beam search that never repeats a trigram, as transformers users often decode.
def heldOut = splits.split('test')
def references = heldOut.column('target').collect { [it as String] }
def heldOutBleu = { Map settings ->
    dev.javaformers.train.TextMetrics.bleu(trainer.generate(heldOut, settings).predictedTexts(), references)
}
println "\nheld-out ${heldOut.numRows()} pairs, greedy:            ${heldOutBleu([:])}"
println "held-out ${heldOut.numRows()} pairs, 4 beams, no 3-gram repeats: ${heldOutBleu([num_beams: 4, no_repeat_ngram_size: 3])}"
save "$out/t5-de-en"
println "\nmodel saved to $out/t5-de-en (loads in Python: AutoModelForSeq2SeqLM.from_pretrained)"
