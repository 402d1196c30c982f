package dev.javaformers.models;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.javaformers.models.bert.BertForSequenceClassification;
import dev.javaformers.nn.Parameter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gradients reach every parameter through DJL's autograd, and a few SGD steps fit a tiny batch. */
class TrainabilityTest {

    @Test
    void gradientsFlowAndTheLossFalls() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                var model = BertForSequenceClassification.fromPretrained(Fixtures.model("tiny-bert-cls"), Map.of())) {
            Map<String, NDArray> batch = new HashMap<>(Fixtures.sampleInput(manager));
            batch.put("labels", manager.create(new long[] {2, 0}));
            model.train();
            var params = model.namedParameters().values().stream().distinct().toList();
            params.forEach(p -> p.array().setRequiresGradient(true));
            float first = 0;
            float last = 0;
            for (int step = 0; step < 40; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    float loss;
                    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray l = model.forward(batch).loss();
                        collector.backward(l);
                        loss = l.getFloat();
                    }
                    for (Parameter p : params) {
                        NDArray grad = p.array().getGradient();
                        assertNotNull(grad);
                        p.array().subi(grad.mul(0.1));
                        grad.muli(0); // PyTorch accumulates gradients until they are zeroed
                        grad.tempAttach(scope);
                    }
                    if (step == 0) {
                        first = loss;
                    }
                    last = loss;
                }
            }
            assertTrue(last < first * 0.5, "loss went from " + first + " to " + last);
        }
    }
}
