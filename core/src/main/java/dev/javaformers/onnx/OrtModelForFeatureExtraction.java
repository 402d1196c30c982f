package dev.javaformers.onnx;

import ai.djl.ndarray.NDArray;
import dev.javaformers.models.BaseModelOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import dev.javaformers.tokenize.BatchEncoding;
import java.util.Map;

/**
 * A bare encoder run by ONNX Runtime, as optimum's {@code ORTModelForFeatureExtraction}: the
 * {@code last_hidden_state} [batch, sequence, hidden] (and {@code pooler_output} when the export has it) in a
 * {@link BaseModelOutput}.
 */
public final class OrtModelForFeatureExtraction extends OrtModel {

    private OrtModelForFeatureExtraction(Loaded loaded) {
        super(loaded.session(), loaded.config(), loaded.modelFile(), loaded.temporaryDir());
    }

    /** An exported folder or Hub repo ({@code model.onnx} + {@code config.json}); see {@link OrtModel#load}. */
    public static OrtModelForFeatureExtraction fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return new OrtModelForFeatureExtraction(load(nameOrPath, Task.BASE, kwargs));
    }

    public static OrtModelForFeatureExtraction fromPretrained(String nameOrPath) {
        return fromPretrained(nameOrPath, Map.of());
    }

    /** Exports {@code model} (validated) to a temporary file that lives as long as the returned model. */
    public static OrtModelForFeatureExtraction fromModel(PreTrainedModel<?> model) {
        return new OrtModelForFeatureExtraction(exported(model, Task.BASE, 0, null));
    }

    public BaseModelOutput forward(BatchEncoding batch) {
        return output(run(batch));
    }

    public BaseModelOutput forward(Map<String, NDArray> inputs) {
        return output(run(inputs));
    }

    private static BaseModelOutput output(Map<String, NDArray> out) {
        return new BaseModelOutput(out.get("last_hidden_state"), out.get("pooler_output"));
    }
}
