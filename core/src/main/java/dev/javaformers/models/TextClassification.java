package dev.javaformers.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Texts to labels with a sequence-classification model: softmax over the logits, the best class, its name from
 * the config's {@code id2label} ({@code LABEL_i} when it has none), as transformers' text-classification pipeline
 * does with its defaults. The DSL's {@code predict} and the kernel use it.
 */
public final class TextClassification {

    private TextClassification() {}

    /** A text's label and its probability. */
    public record Prediction(String label, double score) {

        /** {@code {label: ..., score: ...}}, as the pipeline returns it. */
        public Map<String, Object> toMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("label", label);
            out.put("score", score);
            return out;
        }
    }

    /** Tokenizes {@code texts} (padded, truncated), runs {@code model} and names each row's best class. */
    public static List<Prediction> predict(PreTrainedModel<?> model, PreTrainedTokenizer tokenizer, List<String> texts) {
        return predict(batch -> {
            if (!(model.forward(batch) instanceof SequenceClassifierOutput out)) {
                throw new IllegalStateException("Text classification needs a sequence-classification model "
                        + "(AutoModelForSequenceClassification), not " + model.getClass().getSimpleName());
            }
            return out.logits();
        }, model.config(), tokenizer, texts);
    }

    /**
     * The same with the logits from {@code logitsOf} (another backend: ONNX Runtime's export of the model), the
     * labels from {@code config}.
     */
    public static List<Prediction> predict(java.util.function.Function<BatchEncoding, NDArray> logitsOf,
            PretrainedConfig config, PreTrainedTokenizer tokenizer, List<String> texts) {
        try (BatchEncoding batch = tokenizer.encode(texts, Map.of("return_tensors", "pt", "truncation", true,
                "padding", true))) {
            return fromLogits(logitsOf.apply(batch), config);
        }
    }

    /** The best class of each row of {@code logits} [batch, num_labels], with its softmax probability. */
    public static List<Prediction> fromLogits(NDArray logits, PretrainedConfig config) {
        NDArray probs = logits.toType(DataType.FLOAT32, false).softmax(-1);
        int classes = (int) probs.getShape().get(1);
        float[] flat = probs.toFloatArray();
        List<Prediction> out = new ArrayList<>();
        for (int row = 0; row * classes < flat.length; row++) {
            int best = 0;
            for (int i = 1; i < classes; i++) {
                best = flat[row * classes + i] > flat[row * classes + best] ? i : best;
            }
            String label = config.id2label == null ? null : config.id2label.get(best);
            out.add(new Prediction(label != null ? label : "LABEL_" + best, flat[row * classes + best]));
        }
        return out;
    }
}
