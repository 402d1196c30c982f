package dev.javaformers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.TestResources;
import dev.javaformers.models.bert.BertConfig;
import dev.javaformers.models.distilbert.DistilBertConfig;
import dev.javaformers.models.gpt2.Gpt2Config;
import dev.javaformers.models.roberta.RobertaConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AutoConfigTest {

    @TempDir
    Path tmp;

    private static String fixture(String name) {
        return TestResources.path("hf-tiny/" + name).toString();
    }

    @Test
    void readsBertFixtureIntoBertConfig() {
        PretrainedConfig config = AutoConfig.fromPretrained(fixture("tiny-bert"));
        BertConfig bert = assertInstanceOf(BertConfig.class, config);
        assertEquals(32, bert.hiddenSize);
        assertEquals(2, bert.numAttentionHeads);
        assertEquals(37, bert.intermediateSize);
        assertEquals(1e-12, bert.layerNormEps);
        assertEquals(100, bert.vocabSize);
        assertEquals(64, bert.maxPositionEmbeddings);
        assertNull(bert.classifierDropout);
        assertEquals(List.of("BertModel"), bert.architectures);
        assertEquals("float32", bert.torchDtype);
        assertEquals(2, bert.numLabels());
        assertEquals("bert", bert.getModelType());
    }

    @Test
    void readsLabelsOfClassifierFixture() {
        PretrainedConfig config = AutoConfig.fromPretrained(fixture("tiny-bert-cls"));
        assertEquals(3, config.numLabels());
        assertEquals("LABEL_2", config.id2label.get(2));
        assertEquals(1, config.label2id.get("LABEL_1"));
    }

    @Test
    void readsDistilBertWithItsAliases() {
        DistilBertConfig config = assertInstanceOf(DistilBertConfig.class,
                AutoConfig.fromPretrained(fixture("tiny-distilbert-cls")));
        assertEquals(32, config.dim);
        assertEquals(2, config.nHeads);
        assertEquals(37, config.hiddenDim);
        assertEquals(0.2, config.seqClassifDropout);
        assertEquals(32, config.get("hidden_size"));
        assertEquals(2, config.get("num_attention_heads"));
        assertEquals(2, config.get("heads"));
    }

    @Test
    void readsGpt2() {
        Gpt2Config config = assertInstanceOf(Gpt2Config.class, AutoConfig.fromPretrained(fixture("tiny-gpt2")));
        assertEquals(32, config.nEmbd);
        assertEquals(37, config.nInner);
        assertEquals(99, config.bosTokenId);
        assertEquals("gelu_new", config.activationFunction);
        assertEquals(1e-5, config.layerNormEpsilon);
        assertEquals(64, config.get("max_position_embeddings"));
    }

    /** The JSON we write is byte for byte what transformers 4.31 wrote with save_pretrained. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-bert", "tiny-bert-cls", "tiny-distilbert", "tiny-distilbert-cls", "tiny-gpt2"})
    void savesExactlyWhatTransformersSaved(String name) throws Exception {
        PretrainedConfig config = AutoConfig.fromPretrained(fixture(name));
        Path saved = config.save(tmp.resolve(name));
        assertEquals(Files.readString(Path.of(fixture(name)).resolve("config.json")), Files.readString(saved));
        PretrainedConfig again = AutoConfig.fromPretrained(saved.getParent().toString());
        assertEquals(config.toDict(), again.toDict());
    }

    @Test
    void defaultsMatchTransformers() {
        BertConfig bert = new BertConfig();
        assertEquals(30522, bert.vocabSize);
        assertEquals(0, bert.padTokenId);
        RobertaConfig roberta = new RobertaConfig();
        assertEquals(50265, roberta.vocabSize);
        assertEquals(1, roberta.padTokenId);
        assertEquals(0, roberta.bosTokenId);
        assertEquals(2, roberta.eosTokenId);
        assertEquals("roberta", roberta.toDict().get("model_type"));
        Gpt2Config gpt2 = new Gpt2Config();
        assertEquals(50256, gpt2.eosTokenId);
        assertEquals(1024, gpt2.nPositions);
        assertEquals(Map.of(0, "LABEL_0", 1, "LABEL_1"), bert.id2label);
    }

    @Test
    void unknownKeysSurviveLoadAndSave() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("custom"));
        String original = Files.readString(Path.of(fixture("tiny-bert")).resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), original.replace("\"architectures\"",
                "\"my_custom_setting\": {\"depth\": [1, 2.5, \"x\"], \"on\": true},\n  \"architectures\""));
        PretrainedConfig config = AutoConfig.fromPretrained(dir.toString());
        assertEquals(Map.of("depth", List.of(1, 2.5, "x"), "on", true), config.extra().get("my_custom_setting"));
        config.save(dir);
        String saved = Files.readString(dir.resolve("config.json"));
        assertTrue(saved.contains("\"my_custom_setting\": {\n    \"depth\": [\n      1,\n      2.5,\n      \"x\"\n"),
                saved);
        assertEquals(config.toDict(), AutoConfig.fromPretrained(dir.toString()).toDict());
    }

    @Test
    void overridesUseFieldNamesAliasesAndShortNames() {
        PretrainedConfig bert = AutoConfig.fromPretrained(fixture("tiny-bert"),
                Map.of("heads", 4, "numHiddenLayers", 3, "hidden_dropout_prob", 0.3));
        assertEquals(4, ((BertConfig) bert).numAttentionHeads);
        assertEquals(3, ((BertConfig) bert).numHiddenLayers);
        assertEquals(0.3, ((BertConfig) bert).hiddenDropoutProb);

        DistilBertConfig distil = (DistilBertConfig) AutoConfig.fromPretrained(fixture("tiny-distilbert"),
                Map.of("n_heads", 4, "num_hidden_layers", 3, "hidden_size", 64));
        assertEquals(4, distil.nHeads);
        assertEquals(3, distil.nLayers);
        assertEquals(64, distil.dim);
        DistilBertConfig viaShortName = (DistilBertConfig) AutoConfig.fromPretrained(fixture("tiny-distilbert"),
                Map.of("heads", 8));
        assertEquals(8, viaShortName.nHeads);
    }

    @Test
    void unknownOverrideIsRefusedUnlessAskedBack() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> AutoConfig.fromPretrained(fixture("tiny-bert"), Map.of("num_atention_heads", 4)));
        assertTrue(e.getMessage().contains("num_atention_heads"), e.getMessage());
        assertTrue(e.getMessage().contains("num_attention_heads"), "lists the known keys: " + e.getMessage());

        var loaded = AutoConfig.fromPretrainedReturnUnused(fixture("tiny-bert"),
                Map.of("num_atention_heads", 4, "heads", 4, "foo", "bar"));
        assertEquals(Map.of("num_atention_heads", 4, "foo", "bar"), loaded.unusedKwargs());
        assertEquals(4, ((BertConfig) loaded.config()).numAttentionHeads);
    }

    @Test
    void numLabelsAndId2label() {
        PretrainedConfig three = AutoConfig.fromPretrained(fixture("tiny-bert"), Map.of("num_labels", 3));
        assertEquals(Map.of(0, "LABEL_0", 1, "LABEL_1", 2, "LABEL_2"), three.id2label);
        assertEquals(2, three.label2id.get("LABEL_2"));

        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("id2label", Map.of("0", "negative", "1", "positive"));
        PretrainedConfig named = AutoConfig.fromPretrained(fixture("tiny-bert-cls"), labels);
        assertEquals(Map.of(0, "negative", 1, "positive"), named.id2label);
        assertEquals(Map.of("negative", 0, "positive", 1), named.label2id);

        var e = assertThrows(IllegalArgumentException.class, () -> AutoConfig.fromPretrained(fixture("tiny-bert"),
                Map.of("num_labels", 3, "id2label", Map.of(0, "a", 1, "b"))));
        assertTrue(e.getMessage().contains("contradicts"), e.getMessage());
    }

    @Test
    void badOverrideValueNamesTheKey() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> AutoConfig.fromPretrained(fixture("tiny-bert"), Map.of("hidden_size", "large")));
        assertTrue(e.getMessage().contains("hidden_size"), e.getMessage());
        var p = assertThrows(IllegalArgumentException.class,
                () -> AutoConfig.fromPretrained(fixture("tiny-bert"), Map.of("problem_type", "ranking")));
        assertTrue(p.getMessage().contains("single_label_classification"), p.getMessage());
    }

    @Test
    void loadsASingleJsonFile() throws Exception {
        Path file = tmp.resolve("my-config.json");
        Files.copy(Path.of(fixture("tiny-gpt2")).resolve("config.json"), file);
        assertInstanceOf(Gpt2Config.class, AutoConfig.fromPretrained(file.toString()));
    }

    @Test
    void missingModelTypeFallsBackToTheNameOrFailsClearly() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("my-distilbert-finetune"));
        String json = Files.readString(Path.of(fixture("tiny-distilbert")).resolve("config.json"))
                .replace("\"model_type\": \"distilbert\",", "");
        Files.writeString(dir.resolve("config.json"), json);
        assertInstanceOf(DistilBertConfig.class, AutoConfig.fromPretrained(dir.toString()));

        Path anon = Files.createDirectories(tmp.resolve("anonymous"));
        Files.writeString(anon.resolve("config.json"), json);
        var e = assertThrows(IllegalArgumentException.class, () -> AutoConfig.fromPretrained(anon.toString()));
        assertTrue(e.getMessage().contains("model_type"), e.getMessage());
        assertTrue(e.getMessage().contains(anon.resolve("config.json").toString()), e.getMessage());
    }

    @Test
    void badFilesNameFileKeyAndLine() throws Exception {
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("config.json"), "{\n  \"model_type\": \"bert\",\n  \"hidden_size\": 32,,\n}");
        var syntax = assertThrows(IllegalArgumentException.class, () -> AutoConfig.fromPretrained(broken.toString()));
        assertTrue(syntax.getMessage().contains("config.json") && syntax.getMessage().contains("line 3"),
                syntax.getMessage());

        Path typed = Files.createDirectories(tmp.resolve("typed"));
        Files.writeString(typed.resolve("config.json"), "{\"model_type\": \"bert\", \"num_hidden_layers\": \"two\"}");
        var type = assertThrows(IllegalArgumentException.class, () -> AutoConfig.fromPretrained(typed.toString()));
        assertTrue(type.getMessage().contains("num_hidden_layers") && type.getMessage().contains("int"),
                type.getMessage());

        Path unknown = Files.createDirectories(tmp.resolve("unknown"));
        Files.writeString(unknown.resolve("config.json"), "{\"model_type\": \"mamba\"}");
        var model = assertThrows(IllegalArgumentException.class, () -> AutoConfig.fromPretrained(unknown.toString()));
        assertTrue(model.getMessage().contains("mamba") && model.getMessage().contains("AutoConfig.register"),
                model.getMessage());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        var missing = assertThrows(RuntimeException.class, () -> AutoConfig.fromPretrained(empty.toString()));
        assertTrue(missing.getMessage().contains("config.json"), missing.getMessage());
    }

    @Test
    void customCodeIsRefusedWithAnExplanation() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("remote"));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"phi-custom\", \"auto_map\": "
                + "{\"AutoConfig\": \"configuration_phi.PhiConfig\"}}");
        for (boolean trust : new boolean[] {false, true}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> AutoConfig.fromPretrained(dir.toString(), Map.of("trust_remote_code", trust)));
            assertTrue(e.getMessage().contains("never runs code"), e.getMessage());
            assertTrue(e.getMessage().contains("configuration_phi.PhiConfig"), e.getMessage());
        }
        // a known type with an auto_map loads with the built-in class, as transformers does without trust
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bert\", \"auto_map\": "
                + "{\"AutoConfig\": \"configuration_x.XConfig\"}}");
        assertInstanceOf(BertConfig.class, AutoConfig.fromPretrained(dir.toString()));
    }

    @Test
    void forModelBuildsFreshConfig() {
        PretrainedConfig config = AutoConfig.forModel("distilbert", Map.of("heads", 4, "num_labels", 5));
        assertEquals(4, ((DistilBertConfig) config).nHeads);
        assertEquals(5, config.numLabels());
        assertFalse(config.toJsonString().contains("\"return_dict\""), "defaults of the base class are left out");
    }
}
