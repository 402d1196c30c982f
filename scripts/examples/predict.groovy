// Classify sentences with a saved model folder (or a Hub name), for example the one sentiment.groovy saves:
//   scripts/jf run scripts/examples/predict.groovy out/sentiment-model "What a great day." "Never again."
// With no sentences given, reads one a line from standard input.
if (!args) {
    System.err.println 'usage: predict.groovy MODEL [SENTENCE...]'
    return
}
model args[0]
def sentences = args.length > 1 ? args[1..-1] as List : System.in.readLines().findAll { it.trim() }
predict(sentences).eachWithIndex { p, i ->
    printf('%-50s %-10s %.3f%n', sentences[i], p.label, p.score)
}
