package dev.javaformers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.chart.Charts;
import dev.javaformers.data.ClassLabel;
import dev.javaformers.data.Dataset;
import dev.javaformers.models.AutoModelForSequenceClassification;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.SequenceClassifierOutput;
import dev.javaformers.models.TextClassification;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task logic the DSL, the kernel and the pipelines share: labels into a config, predictions, the frontend. */
class TaskLogicTest {

    @TempDir
    static Path shared;
    static PreTrainedTokenizer tokenizer;
    static Path initial;

    @BeforeAll
    static void setUp() throws Exception {
        tokenizer = TrainFixtures.tokenizer(shared.resolve("cache"));
        initial = TrainFixtures.smallModel(shared.resolve("initial"), 11);
    }

    @AfterAll
    static void tearDown() {
        tokenizer.close();
    }

    @Test
    void classLabelsBecomeConfigOverridesAndPredictionsNameThem() {
        ClassLabel classes = new ClassLabel(List.of("gloomy", "sunny"));
        List<String> texts = List.of("What a lovely day", "This is the worst film I have seen", "ok");
        try (PreTrainedModel<?> model = AutoModelForSequenceClassification.fromPretrained(initial.toString(),
                classes.configOverrides())) {
            assertEquals(Map.of(0, "gloomy", 1, "sunny"), model.config().id2label);
            assertEquals(Map.of("gloomy", 0, "sunny", 1), model.config().label2id);
            List<TextClassification.Prediction> got = TextClassification.predict(model, tokenizer, texts);
            try (BatchEncoding batch = tokenizer.encode(texts, Map.of("return_tensors", "pt", "truncation", true,
                    "padding", true))) {
                float[] logits = ((SequenceClassifierOutput) model.forward(batch)).logits().toFloatArray();
                for (int row = 0; row < texts.size(); row++) {
                    double a = logits[2 * row];
                    double b = logits[2 * row + 1];
                    int best = b > a ? 1 : 0;
                    double p = 1 / (1 + Math.exp(-Math.abs(b - a)));
                    assertEquals(classes.decode(best), got.get(row).label(), texts.get(row));
                    assertEquals(p, got.get(row).score(), 1e-6, texts.get(row));
                    assertEquals(Map.of("label", got.get(row).label(), "score", got.get(row).score()),
                            got.get(row).toMap());
                }
            }
        }
    }

    @Test
    void aClassWithoutANameIsLabelI() {
        var config = dev.javaformers.config.AutoConfig.forModel("bert", Map.of());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[][] {{0f, 2f}, {3f, 1f}});
            config.id2label = new java.util.HashMap<>(Map.of(0, "only"));
            List<TextClassification.Prediction> p = TextClassification.fromLogits(logits, config);
            assertEquals("LABEL_1", p.get(0).label());
            assertEquals("only", p.get(1).label());
            assertEquals(Math.exp(2) / (1 + Math.exp(2)), p.get(0).score(), 1e-6);
        }
    }

    @Test
    void confusionMatrixAgreesWithTheAccuracy(@TempDir Path tmp) {
        Dataset eval = TrainFixtures.sentences(tokenizer, 40);
        try (PreTrainedModel<?> model = TrainFixtures.load(initial)) {
            Trainer trainer = new Trainer(model, TrainingArguments.of(Map.of("output_dir", tmp.toString(),
                    "disable_tqdm", true))).optProcessingClass(tokenizer).optComputeMetrics(Metrics::classification);
            long[][] m = trainer.confusionMatrix(eval);
            long total = m[0][0] + m[0][1] + m[1][0] + m[1][1];
            assertEquals(40, total);
            double accuracy = trainer.evaluate(eval, "eval", new TrainerCallback.Control()).get("eval_accuracy");
            assertEquals(accuracy, (m[0][0] + m[1][1]) / 40.0, 1e-9);
            Path png = Charts.confusionMatrix(trainer, eval).save(tmp.resolve("confusion.png"));
            assertTrue(Files.isRegularFile(png));
        }
    }

    @Test
    void theFrontendIsTheRunningCodesOnly() throws Exception {
        assertSame(Frontend.TERMINAL, Frontend.current());
        Frontend notebook = new Frontend() {
            @Override
            public TrainerCallback trainingProgress() {
                return null;
            }

            @Override
            public boolean show(Object value) {
                return true;
            }
        };
        AtomicReference<Frontend> inThread = new AtomicReference<>();
        Frontend inside = Frontend.runWith(notebook, () -> {
            Thread t = new Thread(() -> inThread.set(Frontend.current()));
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return Frontend.current();
        });
        assertSame(notebook, inside);
        assertSame(notebook, inThread.get(), "a thread the code starts inherits it");
        assertSame(Frontend.TERMINAL, Frontend.current(), "put back after");
    }
}
