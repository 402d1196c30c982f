// Config overrides, as transformers' from_pretrained(name, **kwargs): the checkpoint's config with some values
// changed before the model is built. Here: the first 3 of MiniLM's 6 layers, no dropout, three labels.
//   scripts/jf run scripts/examples/config-overrides.groovy
def name = 'sentence-transformers/all-MiniLM-L6-v2'
def stored = AutoConfig.fromPretrained(name)
println "stored config: ${stored.numHiddenLayers} layers, ${stored.numAttentionHeads} heads, hidden size ${stored.hiddenSize}"

model name < layers 3, heads 12, hidden_dropout_prob 0.0, labels ['negative', 'neutral', 'positive'] >
def config = model.config
println "loaded model: ${config.numHiddenLayers} layers, ${config.numAttentionHeads} heads, " +
        "dropout ${config.hiddenDropoutProb}, labels ${config.id2label.values()}"
println "parameters: ${model.numParameters()}"
println "checkpoint tensors not used (layers 3 to 5): ${model.loadReport().unexpectedKeys().size()}"

// A name the config does not have is refused with the names it does have.
try {
    model name < hedas 12 >
} catch (IllegalArgumentException e) {
    println "refused: ${e.message.readLines()[0]}"
}
