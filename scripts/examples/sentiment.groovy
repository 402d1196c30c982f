// The main job (scripts/demo): fine-tune the real all-MiniLM-L6-v2 on the built-in sentiment sentences, then
// evaluate, chart and predict.
//   scripts/jf run scripts/examples/sentiment.groovy [epochs=1] [steps=N] [out=out]
//   MODEL=org/name scripts/demo     (any Hub model, when online)
def epochCount = option('epochs', 1)
def stepLimit = option('steps', -1)
def out = option('out', 'out')

model System.getenv('MODEL') ?: 'sentence-transformers/all-MiniLM-L6-v2' < task 'sequence-classification' >
dataset builtin('sentiment-sentences')
split 0.2
tokenize 'text' < max_length 64 >

def metrics = train <
    epochs epochCount,
    steps stepLimit,
    batch 16,
    lr 5e-5,
    warmup 0.1,
    output "$out/run"
>
println "eval accuracy ${metrics.eval_accuracy.round(3)}, F1 ${metrics.eval_f1.round(3)}, " +
        "loss ${metrics.eval_loss.round(3)}"

plot loss < file "$out/loss.png" >
plot confusion < file "$out/confusion.png" >
println "charts: $out/loss.png, $out/confusion.png"

def sentences = ['I loved every minute of this film.', 'The food was cold and the waiter was rude.',
                 'Great battery life, I would buy it again.', 'It broke after two days.']
predict(sentences).eachWithIndex { p, i ->
    println "${sentences[i].padRight(45)} -> ${p.label.padRight(8)} ${String.format('%.2f', p.score)}"
}
save "$out/sentiment-model"
println "model saved to $out/sentiment-model (loads in Python: AutoModelForSequenceClassification.from_pretrained)"
