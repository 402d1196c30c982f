package dev.javaformers.onnx;

import ai.djl.ndarray.NDArray;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.SequenceClassifierOutput;
import dev.javaformers.models.Task;
import dev.javaformers.tokenize.BatchEncoding;
import java.util.Map;

/**
 * A sequence classifier run by ONNX Runtime, as optimum's {@code ORTModelForSequenceClassification}: logits
 * [batch, num_labels] in a {@link SequenceClassifierOutput}, labels from the config's {@code id2label}.
 *
 * <pre>{@code
 * try (var model = OrtModelForSequenceClassification.fromPretrained("onnx/");
 *      BatchEncoding batch = tokenizer.call(texts, Map.of("padding", true, "return_tensors", "pt"))) {
 *     NDArray logits = model.forward(batch).logits();
 * }
 * }</pre>
 */
public final class OrtModelForSequenceClassification extends OrtModel {

    private OrtModelForSequenceClassification(Loaded loaded) {
        super(loaded.session(), loaded.config(), loaded.modelFile(), loaded.temporaryDir());
    }

    /** An exported folder or Hub repo ({@code model.onnx} + {@code config.json}); see {@link OrtModel#load}. */
    public static OrtModelForSequenceClassification fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return new OrtModelForSequenceClassification(load(nameOrPath, Task.SEQUENCE_CLASSIFICATION, kwargs));
    }

    public static OrtModelForSequenceClassification fromPretrained(String nameOrPath) {
        return fromPretrained(nameOrPath, Map.of());
    }

    /** Exports {@code model} (validated) to a temporary file that lives as long as the returned model. */
    public static OrtModelForSequenceClassification fromModel(PreTrainedModel<?> model) {
        return new OrtModelForSequenceClassification(exported(model, Task.SEQUENCE_CLASSIFICATION, 0, null));
    }

    public SequenceClassifierOutput forward(BatchEncoding batch) {
        return new SequenceClassifierOutput(null, run(batch).get("logits"));
    }

    public SequenceClassifierOutput forward(Map<String, NDArray> inputs) {
        return new SequenceClassifierOutput(null, run(inputs).get("logits"));
    }
}
