/**
 * Javaformers on Apache Spark: {@link dev.javaformers.spark.JavaformersSpark#classify} and
 * {@link dev.javaformers.spark.JavaformersSpark#embed} add a model's predictions or embeddings to a DataFrame, in
 * batches inside {@code mapPartitions}, each executor JVM loading the model once; {@code jf_classify} and
 * {@code jf_embed} do the same as SQL functions. Scale comes from Spark; the inference is core's pipelines.
 */
package dev.javaformers.spark;
