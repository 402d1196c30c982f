package dev.javaformers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.models.AutoModelForSequenceClassification;
import dev.javaformers.models.PreTrainedModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TrainingArguments, AdamW's parameter groups, schedules and metrics. */
class TrainingPiecesTest {

    @Test
    void argumentsHaveTransformersDefaultsAndRefuseContradictions() {
        TrainingArguments a = new TrainingArguments();
        assertEquals(5e-5, a.learningRate);
        assertEquals(3.0, a.numTrainEpochs);
        assertEquals(8, a.perDeviceTrainBatchSize);
        assertEquals(1.0, a.maxGradNorm);
        assertEquals(42, a.seed);
        assertEquals(500, a.saveSteps);
        assertEquals("linear", a.lrSchedulerType);
        assertEquals(TrainingArguments.IntervalStrategy.STEPS, a.saveStrategy);
        assertEquals(TrainingArguments.IntervalStrategy.NO, a.evalStrategy);

        TrainingArguments parsed = TrainingArguments.of(Map.of("output_dir", "x", "evaluationStrategy", "epoch",
                "save_strategy", "epoch", "load_best_model_at_end", true, "metric_for_best_model", "accuracy"));
        assertEquals(TrainingArguments.IntervalStrategy.EPOCH, parsed.evalStrategy);
        assertEquals("eval_accuracy", parsed.bestMetric());
        assertTrue(parsed.greaterIsBetter());
        assertEquals("eval_loss", TrainingArguments.of(Map.of("eval_strategy", "epoch", "save_strategy", "epoch",
                "load_best_model_at_end", true)).bestMetric());

        var unknown = assertThrows(IllegalArgumentException.class, () -> TrainingArguments.of(Map.of("epochs", 3)));
        assertTrue(unknown.getMessage().contains("'epochs'") && unknown.getMessage().contains("num_train_epochs"),
                unknown.getMessage());
        var mismatch = assertThrows(IllegalArgumentException.class, () -> TrainingArguments.of(Map.of(
                "load_best_model_at_end", true, "eval_strategy", "epoch", "save_strategy", "steps")));
        assertTrue(mismatch.getMessage().contains("requires the save and eval strategy to match"),
                mismatch.getMessage());
        var multiple = assertThrows(IllegalArgumentException.class, () -> TrainingArguments.of(Map.of(
                "load_best_model_at_end", true, "eval_strategy", "steps", "save_strategy", "steps", "eval_steps", 30,
                "save_steps", 50)));
        assertTrue(multiple.getMessage().contains("multiple of the evaluation steps"), multiple.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingArguments.of(Map.of("fp16", true, "use_cpu", true)));
        assertThrows(IllegalArgumentException.class, () -> TrainingArguments.of(Map.of("eval_strategy", "sometimes")));
    }

    @Test
    void noWeightDecayOnBiasesAndLayerNorms() {
        try (PreTrainedModel<?> model = AutoModelForSequenceClassification.fromConfig(
                dev.javaformers.config.AutoConfig.forModel("bert", Map.of("hidden_size", 8, "num_hidden_layers", 1,
                        "num_attention_heads", 2, "intermediate_size", 8, "vocab_size", 20)))) {
            AdamW optimizer = new AdamW(model, 0.9, 0.999, 1e-8, 0.01);
            List<String> decayed = optimizer.decayed();
            assertTrue(decayed.contains("bert.encoder.layer.0.attention.self.query.weight"));
            assertTrue(decayed.contains("bert.embeddings.word_embeddings.weight"));
            assertTrue(decayed.stream().noneMatch(n -> n.endsWith(".bias") || n.contains("LayerNorm")), decayed.toString());
        }
        // T5: its layer norms (T5LayerNorm, in transformers' ALL_LAYERNORM_LAYERS) and the relative attention
        // bias (an embedding, but "bias" is in its name) are not decayed
        try (PreTrainedModel<?> t5 = dev.javaformers.models.AutoModelForSeq2SeqLM.fromConfig(
                dev.javaformers.config.AutoConfig.forModel("t5", Map.of("d_model", 8, "d_kv", 4, "d_ff", 8,
                        "num_layers", 1, "num_heads", 2, "vocab_size", 20)))) {
            List<String> decayed = new AdamW(t5, 0.9, 0.999, 1e-8, 0.01).decayed();
            assertTrue(decayed.contains("encoder.block.0.layer.1.DenseReluDense.wi.weight"), decayed.toString());
            assertTrue(decayed.stream().noneMatch(n -> n.contains("layer_norm") || n.contains("bias")),
                    decayed.toString());
        }
    }

    @Test
    void schedules() {
        assertEquals(0.0, LrSchedule.factor("linear", 0, 10, 110));
        assertEquals(0.5, LrSchedule.factor("linear", 5, 10, 110));
        assertEquals(1.0, LrSchedule.factor("linear", 10, 10, 110));
        assertEquals(0.5, LrSchedule.factor("linear", 60, 10, 110));
        assertEquals(0.0, LrSchedule.factor("linear", 110, 10, 110));
        assertEquals(0.5, LrSchedule.factor("cosine", 60, 10, 110), 1e-12);
        assertEquals(1.0, LrSchedule.factor("constant", 0, 10, 110));
        assertEquals(0.3, LrSchedule.factor("constant_with_warmup", 3, 10, 110), 1e-12);
        assertEquals(1.0, LrSchedule.factor("constant_with_warmup", 50, 10, 110));
    }

    /** Expected values computed by hand, as sklearn.metrics defines them. */
    @Test
    void metricsAsSklearn() {
        int[] predicted = {0, 1, 1, 1, 0, 2, 2, 0};
        long[] labels = {0, 1, 0, 1, 1, 2, 1, 0};
        assertEquals(5.0 / 8, Metrics.accuracy(predicted, labels));
        assertArrayEquals(new long[][] {{2, 1, 0}, {1, 2, 1}, {0, 0, 1}}, Metrics.confusionMatrix(predicted, labels, 3));
        Map<String, Double> macro = Metrics.precisionRecallF1(predicted, labels, 3, "macro");
        // per class precision 2/3, 2/3, 1/2; recall 2/3, 1/2, 1; f1 2/3, 4/7, 2/3
        assertEquals((2.0 / 3 + 2.0 / 3 + 0.5) / 3, macro.get("precision"), 1e-12);
        assertEquals((2.0 / 3 + 0.5 + 1) / 3, macro.get("recall"), 1e-12);
        assertEquals((2.0 / 3 + 4.0 / 7 + 2.0 / 3) / 3, macro.get("f1"), 1e-12);
        Map<String, Double> weighted = Metrics.precisionRecallF1(predicted, labels, 3, "weighted");
        assertEquals((3 * 2.0 / 3 + 4 * 2.0 / 3 + 1 * 0.5) / 8, weighted.get("precision"), 1e-12);
        int[] p2 = {1, 1, 0, 0, 1};
        long[] l2 = {1, 0, 0, 1, 1};
        Map<String, Double> binary = Metrics.precisionRecallF1(p2, l2, 2, "binary");
        assertEquals(2.0 / 3, binary.get("precision"), 1e-12);
        assertEquals(2.0 / 3, binary.get("recall"), 1e-12);
        Map<String, Double> all = Metrics.classification(new Metrics.EvalPrediction(
                new float[][] {{0.1f, 0.9f}, {2, 1}}, new long[] {1, 1}));
        assertEquals(0.5, all.get("accuracy"));
    }
}
