package dev.javaformers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.TestResources;
import dev.javaformers.models.AutoModelForCausalLM;
import dev.javaformers.models.AutoModelForSequenceClassification;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Engines;
import dev.javaformers.util.PyJson;
import dev.javaformers.weights.Safetensors;
import dev.javaformers.weights.StateDict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Four training steps (forward with labels, backward, clip_grad_norm_ 1.0, AdamW with weight decay 0.1 and the
 * Trainer's no-decay groups) on tiny BERT and GPT-2 models, dropout off, against the same steps in PyTorch
 * (scripts/reference/make_train_steps.py, hf-tiny-train): losses, gradient norms, the weights after, and AdamW's
 * moments.
 */
class TrainingParityTest {

    /**
     * Below this second moment a weight's gradient is rounding noise in PyTorch (attention key biases, which
     * softmax cancels). Adam divides the noise by its own size, so such a weight moves by about lr in a direction
     * no two implementations share: it and its moments are not compared.
     */
    static final double NOISE = 1e-14;

    @ParameterizedTest
    @ValueSource(strings = {"tiny-bert-cls", "tiny-gpt2"})
    void fourStepsMatchPyTorch(String name) {
        JsonNode expected = PyJson.read(TestResources.path("hf-tiny-train/" + name + ".json"));
        StateDict after = Safetensors.read(TestResources.path("hf-tiny-train/" + name + ".safetensors"));
        Map<String, Object> noDropout = new LinkedHashMap<>();
        expected.get("dropout_off").fields().forEachRemaining(e -> noDropout.put(e.getKey(), 0.0));
        String path = TestResources.path("hf-tiny/" + name).toString();
        try (PreTrainedModel<?> model = name.contains("gpt2") ? AutoModelForCausalLM.fromPretrained(path, noDropout)
                : AutoModelForSequenceClassification.fromPretrained(path, noDropout);
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            model.train();
            model.namedParameters().values().forEach(p -> p.array().setRequiresGradient(true));
            AdamW optimizer = new AdamW(model, 0.9, 0.999, 1e-8, expected.get("weight_decay").asDouble());
            assertEquals(names(expected.get("decayed")), new TreeSet<>(optimizer.decayed()), "weight-decayed names");

            long[][] ids = TestResources.rows(expected.get("input_ids"));
            long[][] mask = TestResources.rows(expected.get("attention_mask"));
            Map<String, NDArray> batch = new LinkedHashMap<>();
            batch.put("input_ids", matrix(manager, ids));
            batch.put("attention_mask", matrix(manager, mask));
            if (name.contains("gpt2")) { // the next tokens, -100 (ignored) under padding
                long[][] labels = new long[ids.length][];
                for (int r = 0; r < ids.length; r++) {
                    labels[r] = ids[r].clone();
                    for (int c = 0; c < ids[r].length; c++) {
                        labels[r][c] = mask[r][c] == 1 ? ids[r][c] : -100;
                    }
                }
                batch.put("labels", matrix(manager, labels));
            } else {
                batch.put("labels", manager.create(new long[] {1, 0}));
            }

            List<Double> losses = new ArrayList<>();
            List<Double> norms = new ArrayList<>();
            for (int step = 0; step < expected.get("steps").asInt(); step++) {
                try (NDManager scope = manager.newSubManager();
                        GradientCollector collector = Engines.engine().newGradientCollector()) {
                    Map<String, NDArray> inputs = new LinkedHashMap<>();
                    batch.forEach((k, v) -> {
                        NDArray copy = v.duplicate();
                        copy.attach(scope);
                        inputs.put(k, copy);
                    });
                    NDArray loss = model.forward(inputs).loss();
                    collector.backward(loss);
                    losses.add((double) loss.getFloat());
                }
                norms.add(optimizer.clipGradNorm(expected.get("max_grad_norm").asDouble()));
                optimizer.step(expected.get("learning_rate").asDouble());
                optimizer.zeroGrad();
            }
            for (int i = 0; i < losses.size(); i++) {
                assertEquals(expected.get("losses").get(i).asDouble(), losses.get(i), 2e-5, "loss at step " + (i + 1));
                assertEquals(expected.get("grad_norms").get(i).asDouble(), norms.get(i), 1e-4,
                        "gradient norm at step " + (i + 1));
            }

            StateDict moments = optimizer.stateDict();
            int compared = 0;
            List<String> differ = new ArrayList<>();
            for (String key : after.names()) {
                float[] want = after.get(key).toFloatArray();
                float[] got = key.endsWith(".exp_avg") || key.endsWith(".exp_avg_sq")
                        ? moments.get(key).toFloatArray()
                        : model.namedParameters().get(key).array().toFloatArray();
                float[] secondMoment = after.get(key.replaceAll("\\.exp_avg(_sq)?$", "") + ".exp_avg_sq").toFloatArray();
                double worst = 0;
                for (int i = 0; i < want.length; i++) {
                    if (secondMoment[i] >= NOISE) {
                        worst = Math.max(worst, Math.abs(want[i] - got[i]));
                    }
                }
                if (!(worst < 1e-5)) { // the weights move by about lr (1e-3) a step
                    differ.add(key + " by " + worst);
                }
                compared++;
            }
            assertEquals(List.of(), differ, "tensors that differ from PyTorch's");
            assertTrue(compared > 3 * 20, "compared " + compared + " tensors");
        }
    }

    private static TreeSet<String> names(JsonNode list) {
        TreeSet<String> out = new TreeSet<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static NDArray matrix(NDManager manager, long[][] rows) {
        long[] flat = java.util.Arrays.stream(rows).flatMapToLong(java.util.Arrays::stream).toArray();
        return manager.create(flat, new Shape(rows.length, rows[0].length));
    }
}
