// Fine-tune the real all-MiniLM-L6-v2 on the built-in sentiment sentences, in the DSL's block form.
// (The design card's `model 'x' < heads 12 >` form is still to come; this is the same in Groovy blocks.)
//   scripts/jf run scripts/examples/sentiment.groovy [epochs]
def n = args ? args[0] as double : 1

model('sentence-transformers/all-MiniLM-L6-v2') { task 'sequence-classification' }
dataset builtin('sentiment-sentences')
split 0.2
tokenize('text') { max_length 64 }
def metrics = train {
    epochs n
    batch 16
    lr 5e-5
    warmup 0.1
}
println "eval accuracy ${metrics.eval_accuracy.round(3)}, F1 ${metrics.eval_f1.round(3)}"
println "loss curve: ${plot loss}"
println "confusion matrix: ${plot confusion}"
['I loved every minute of this film.', 'The food was cold and bland.'].each {
    def p = predict it
    println "${it.padRight(40)} -> ${p.label} (${String.format('%.2f', p.score)})"
}
