package dev.javaformers.spark;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/** What a Spark job asks of a model: the core pipeline it runs, and the columns it adds. */
enum InferenceTask {

    /** text-classification: the best label and its score. */
    CLASSIFY("text-classification") {
        @Override
        List<StructField> fields(String prefix) {
            return List.of(DataTypes.createStructField(prefix + "label", DataTypes.StringType, true),
                    DataTypes.createStructField(prefix + "score", DataTypes.DoubleType, true));
        }

        @Override
        Object[] values(Object result) {
            Map<?, ?> best = (Map<?, ?>) result;
            return new Object[] {best.get("label"), ((Number) best.get("score")).doubleValue()};
        }
    },

    /** feature-extraction with mean pooling: one vector per text (unit length unless normalize is false). */
    EMBED("feature-extraction") {
        @Override
        List<StructField> fields(String prefix) {
            return List.of(DataTypes.createStructField(prefix + "embedding",
                    DataTypes.createArrayType(DataTypes.FloatType, false), true));
        }

        @Override
        Object[] values(Object result) {
            List<?> vector = (List<?>) result;
            float[] out = new float[vector.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ((Number) vector.get(i)).floatValue();
            }
            return new Object[] {out};
        }
    };

    final String pipelineTask;

    InferenceTask(String pipelineTask) {
        this.pipelineTask = pipelineTask;
    }

    /** The columns added, before the error column. */
    abstract List<StructField> fields(String prefix);

    /** One text's result, as the values of those columns. */
    abstract Object[] values(Object result);

    /** The settings given to pipeline() for the task besides the caller's: mean pooling for embeddings. */
    Map<String, Object> pipelineDefaults() {
        return this == EMBED ? Map.of("pooling", "mean", "normalize", true) : Map.of();
    }
}
