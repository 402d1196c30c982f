package dev.javaformers.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.models.roberta.RobertaForMaskedLM;
import dev.javaformers.models.roberta.RobertaModel;
import dev.javaformers.nn.Layers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArchitecturesTest {

    @TempDir
    Path tmp;
    NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static PretrainedConfig tiny(String type) {
        Map<String, Object> sizes = new HashMap<>(Map.of("vocab_size", 50, "hidden_size", 16, "num_hidden_layers", 2,
                "num_attention_heads", 2, "max_position_embeddings", 24, "num_labels", 3));
        sizes.put(type.equals("distilbert") ? "hidden_dim" : "intermediate_size", 20);
        return AutoConfig.forModel(type, sizes);
    }

    private static final Map<String, Function<PretrainedConfig, PreTrainedModel<?>>> AUTO = Map.of(
            "AutoModel", AutoModel::fromConfig,
            "AutoModelForSequenceClassification", AutoModelForSequenceClassification::fromConfig,
            "AutoModelForMaskedLM", AutoModelForMaskedLM::fromConfig,
            "AutoModelForTokenClassification", AutoModelForTokenClassification::fromConfig,
            "AutoModelForQuestionAnswering", AutoModelForQuestionAnswering::fromConfig,
            "AutoModelForMultipleChoice", AutoModelForMultipleChoice::fromConfig);

    /** Every head of every architecture: builds, computes a loss, and saves and loads back to the same outputs. */
    @ParameterizedTest
    @CsvSource({
        "bert, AutoModel, BertModel", "bert, AutoModelForSequenceClassification, BertForSequenceClassification",
        "bert, AutoModelForMaskedLM, BertForMaskedLM", "bert, AutoModelForTokenClassification, BertForTokenClassification",
        "bert, AutoModelForQuestionAnswering, BertForQuestionAnswering",
        "bert, AutoModelForMultipleChoice, BertForMultipleChoice",
        "distilbert, AutoModel, DistilBertModel",
        "distilbert, AutoModelForSequenceClassification, DistilBertForSequenceClassification",
        "distilbert, AutoModelForMaskedLM, DistilBertForMaskedLM",
        "distilbert, AutoModelForTokenClassification, DistilBertForTokenClassification",
        "distilbert, AutoModelForQuestionAnswering, DistilBertForQuestionAnswering",
        "distilbert, AutoModelForMultipleChoice, DistilBertForMultipleChoice",
        "roberta, AutoModel, RobertaModel", "roberta, AutoModelForSequenceClassification, RobertaForSequenceClassification",
        "roberta, AutoModelForMaskedLM, RobertaForMaskedLM",
        "roberta, AutoModelForTokenClassification, RobertaForTokenClassification",
        "roberta, AutoModelForQuestionAnswering, RobertaForQuestionAnswering",
        "roberta, AutoModelForMultipleChoice, RobertaForMultipleChoice"})
    void everyHeadTrainsSavesAndLoads(String type, String auto, String expectedClass) {
        PretrainedConfig config = tiny(type);
        if (auto.endsWith("QuestionAnswering")) {
            config.setNumLabels(2); // a start and an end logit
        }
        try (PreTrainedModel<?> model = AUTO.get(auto).apply(config)) {
            assertEquals(expectedClass, model.getClass().getSimpleName());
            NDArray ids = manager.create(new long[] {0, 7, 8, 9, 2, 1, 0, 11, 12, 2, 1, 1}, new Shape(2, 6));
            NDArray mask = manager.create(new long[] {1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0}, new Shape(2, 6));
            Map<String, NDArray> in = new HashMap<>(Map.of("input_ids", ids, "attention_mask", mask));
            if (auto.endsWith("SequenceClassification")) {
                in.put("labels", manager.create(new long[] {1, 2}));
            } else if (auto.endsWith("QuestionAnswering")) {
                in.put("start_positions", manager.create(new long[] {1, 3}));
                in.put("end_positions", manager.create(new long[] {2, 4}));
            } else if (auto.endsWith("MultipleChoice")) { // [2 questions, 2 choices, 6 tokens]
                in.put("input_ids", ids.stack(ids.flip(0), 1));
                in.put("attention_mask", mask.stack(mask.flip(0), 1));
                in.put("labels", manager.create(new long[] {1, 0}));
            } else if (!auto.equals("AutoModel")) { // token labels, -100 on padding
                NDArray target = auto.endsWith("MaskedLM") ? ids : ids.mod(3);
                in.put("labels", target.mul(mask).add(mask.neg().add(1).mul(-100)));
            }
            ModelOutput out = model.forward(in);
            if (in.containsKey("labels")) {
                float loss = out.loss().getFloat();
                assertTrue(Float.isFinite(loss) && loss > 0, expectedClass + " loss " + loss);
            }
            model.save(tmp.resolve(expectedClass));
            try (PreTrainedModel<?> again = loadWith(auto, tmp.resolve(expectedClass))) {
                assertEquals(model.getClass(), again.getClass());
                assertEquals(java.util.List.of(), again.loadReport().missingKeys(), expectedClass);
                assertEquals(java.util.List.of(), again.loadReport().unexpectedKeys(), expectedClass);
                assertArrayEquals(firstOutput(model.forward(in)), firstOutput(again.forward(in)), expectedClass);
            }
        }
    }

    private static PreTrainedModel<?> loadWith(String auto, Path dir) {
        return switch (auto) {
            case "AutoModel" -> AutoModel.fromPretrained(dir.toString());
            case "AutoModelForSequenceClassification" -> AutoModelForSequenceClassification.fromPretrained(dir.toString());
            case "AutoModelForMaskedLM" -> AutoModelForMaskedLM.fromPretrained(dir.toString());
            case "AutoModelForQuestionAnswering" -> AutoModelForQuestionAnswering.fromPretrained(dir.toString());
            case "AutoModelForMultipleChoice" -> AutoModelForMultipleChoice.fromPretrained(dir.toString());
            default -> AutoModelForTokenClassification.fromPretrained(dir.toString());
        };
    }

    private static float[] firstOutput(ModelOutput out) {
        if (out instanceof BaseModelOutput b) {
            return b.lastHiddenState().toFloatArray();
        } else if (out instanceof SequenceClassifierOutput s) {
            return s.logits().toFloatArray();
        } else if (out instanceof MaskedLMOutput m) {
            return m.logits().toFloatArray();
        } else if (out instanceof QuestionAnsweringModelOutput q) {
            return q.startLogits().concat(q.endLogits()).toFloatArray();
        } else if (out instanceof MultipleChoiceModelOutput c) {
            return c.logits().toFloatArray();
        }
        return ((TokenClassifierOutput) out).logits().toFloatArray();
    }

    /**
     * RoBERTa numbers positions from padding_idx + 1 over real tokens only, so left padding does not move them:
     * the real tokens come out the same. BERT numbers every slot, so left padding changes its output.
     */
    @Test
    void robertaPositionsSkipPadding() {
        NDArray plain = manager.create(new long[] {0, 7, 8, 9, 2}, new Shape(1, 5));
        NDArray padded = manager.create(new long[] {1, 1, 0, 7, 8, 9, 2}, new Shape(1, 7));
        NDArray mask = manager.create(new long[] {0, 0, 1, 1, 1, 1, 1}, new Shape(1, 7));
        try (RobertaModel roberta = (RobertaModel) AutoModel.fromConfig(tiny("roberta"))) {
            float[] a = roberta.forward(plain, null, null).lastHiddenState().toFloatArray();
            float[] b = roberta.forward(padded, mask, null).lastHiddenState().get(new NDIndex(":, 2:, :"))
                    .toFloatArray();
            assertArrayEquals(a, b, 1e-5f);
        }
        try (var bert = (dev.javaformers.models.bert.BertModel) AutoModel.fromConfig(tiny("bert"))) {
            float[] a = bert.forward(plain, null, null).lastHiddenState().toFloatArray();
            float[] b = bert.forward(padded, mask, null).lastHiddenState().get(new NDIndex(":, 2:, :")).toFloatArray();
            assertFalse(java.util.Arrays.equals(a, b), "BERT's positions shift with left padding");
        }
    }

    @Test
    void robertaMaskedLmTiesItsDecoder() {
        try (RobertaForMaskedLM model = (RobertaForMaskedLM) AutoModelForMaskedLM.fromConfig(tiny("roberta"))) {
            var params = model.namedParameters();
            assertTrue(params.get("roberta.embeddings.word_embeddings.weight") == params.get("lm_head.decoder.weight"));
            assertTrue(params.get("lm_head.bias") == params.get("lm_head.decoder.bias"));
        }
    }

    /** A user's own architecture, registered with AutoConfig and AutoModel, as in transformers' docs. */
    public static class TinyConfig extends PretrainedConfig {
        public int hiddenSize = 8;
        public int vocabSize = 20;

        @Override
        public String getModelType() {
            return "tiny-custom";
        }
    }

    public static class TinyModel extends PreTrainedModel<BaseModelOutput> {
        final Layers.Embedding embed;
        final Layers.Linear proj;

        public TinyModel(TinyConfig config, NDManager manager) {
            super(config, manager);
            embed = register("embed", new Layers.Embedding(manager, config.vocabSize, config.hiddenSize, 0.02, null));
            proj = register("proj", new Layers.Linear(manager, config.hiddenSize, config.hiddenSize, 0.02));
        }

        @Override
        public String baseModelPrefix() {
            return "tiny";
        }

        @Override
        public BaseModelOutput forward(Map<String, NDArray> inputs) {
            return new BaseModelOutput(proj.forward(embed.forward(inputs.get("input_ids"))), null);
        }
    }

    @Test
    void customModelRegistersAndLoadsByName() {
        AutoConfig.register("tiny-custom", TinyConfig.class);
        AutoModel.register(TinyConfig.class, TinyModel.class);
        TinyConfig config = new TinyConfig();
        try (PreTrainedModel<?> model = AutoModel.fromConfig(config)) {
            model.save(tmp);
        }
        try (PreTrainedModel<?> loaded = AutoModel.fromPretrained(tmp.toString(), Map.of("hidden_size", 8))) {
            assertInstanceOf(TinyModel.class, loaded);
            assertEquals(java.util.List.of(), loaded.loadReport().missingKeys());
            var out = (BaseModelOutput) loaded.forward(Map.of("input_ids", manager.create(new long[][] {{1, 2, 3}})));
            assertArrayEquals(new long[] {1, 3, 8}, out.lastHiddenState().getShape().getShape());
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> AutoModelForMaskedLM.fromPretrained(tmp.toString()));
        assertTrue(e.getMessage().contains("TinyConfig") && e.getMessage().contains("register"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AutoModel.register(TinyConfig.class, TinyModel.class));
    }
}
