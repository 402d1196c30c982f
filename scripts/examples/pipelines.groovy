// transformers' pipeline() in the DSL: the sentiment model that scripts/demo fine-tunes, and the bundled
// all-MiniLM-L6-v2 as a sentence embedder:
//   scripts/jf run scripts/examples/pipelines.groovy [MODEL_DIR]      (default out/sentiment-model)
def modelDir = args ? args[0] : 'out/sentiment-model'

def classify = pipeline('sentiment-analysis', modelDir)
def reviews = ['I loved every minute of this film.', 'The battery broke after a day.', 'Never again.']
classify(reviews).eachWithIndex { r, i -> printf('%-40s %-9s %.3f%n', reviews[i], r.label, r.score) }
println "every label: ${classify(reviews[0], top_k: null)}"

// a dataset column in, the dataset with the predictions as new columns out
def scored = classify(builtin('sentiment-sentences').selectRange(0, 100), 'text', output_prefix: 'pred_',
        batch_size: 8)
def right = (0..<scored.numRows()).count { scored.get(it).label == scored.get(it).pred_label }
println scored.preview(3).print()
printf('agreement with the labels on the first 100 sentences: %.2f%n', right / scored.numRows())

def embed = pipeline('feature-extraction', 'sentence-transformers/all-MiniLM-L6-v2', pooling: 'mean',
        normalize: true)
def sentences = ['A man is eating food.', 'A man is eating a piece of bread.',
                 'The stock market fell sharply on Tuesday.']
def vectors = embed(sentences)
def cosine = { a, b -> [a, b].transpose().sum { it[0] * it[1] } }
printf('embeddings of %d numbers; cosine(eating, eating) %.3f, cosine(eating, stocks) %.3f%n',
        vectors[0].size(), cosine(vectors[0], vectors[1]), cosine(vectors[0], vectors[2]))
