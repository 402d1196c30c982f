// Spark from the DSL: a table of ROWS review sentences (the built-in 3,000, repeated) classified in Spark's local
// mode, the predictions written as Parquet:
//   scripts/examples/spark-classify [MODEL_DIR] [ROWS] [OUT]
// (defaults: out/sentiment-model, which scripts/demo saves; 100000 rows; out/spark-scored.parquet)
def modelDir = args.size() > 0 ? args[0] : 'out/sentiment-model'
long rows = args.size() > 1 ? args[1] as long : 100_000L
def out = args.size() > 2 ? args[2] : 'out/spark-scored.parquet'

spark {
    def sentences = table(builtin('sentiment-sentences'))
    long copies = Math.ceil(rows / sentences.count()) as long
    def big = sentences.crossJoin(session.range(copies)).limit(rows as int)
            .repartition(4 * Runtime.runtime.availableProcessors())
    long started = System.nanoTime()
    def scored = classify big < column 'text', batch 32, model modelDir, prefix 'pred_', output out >
    double seconds = (System.nanoTime() - started) / 1e9
    long written = scored.count()
    printf('%d rows classified in %.1f s (%.0f rows/s), written to %s%n', written, seconds, written / seconds, out)
    long agree = scored.where('label = pred_label').count()
    long errors = scored.where('pred_error IS NOT NULL').count()
    printf('agreement with the labels: %.3f; rows with an error: %d%n', agree / (double) written, errors)
}
