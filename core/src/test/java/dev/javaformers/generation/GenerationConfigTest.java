package dev.javaformers.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.TestResources;
import dev.javaformers.config.AutoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationConfigTest {

    @TempDir
    Path tmp;

    @Test
    void readsAndWritesGenerationConfigJsonAsTransformersDoes() throws Exception {
        Path theirs = TestResources.path("hf-tiny/tiny-gpt2/generation_config.json");
        GenerationConfig g = GenerationConfig.read(theirs);
        assertEquals(List.of(99), g.eosTokenId);
        assertEquals(99, g.bosTokenId);
        assertEquals(20, g.maxLength, "transformers' default");
        assertEquals(50, g.topK);
        assertEquals(Files.readString(theirs), Files.readString(g.save(tmp)), "byte for byte");
    }

    @Test
    void overridesApplyToACopyAndAreChecked() {
        GenerationConfig g = GenerationConfig.read(TestResources.path("hf-tiny/tiny-gpt2/generation_config.json"));
        GenerationConfig beams = g.with(Map.of("num_beams", 3, "eos_token_id", List.of(5, 6), "early_stopping",
                "never", "max_new_tokens", 7));
        assertEquals(3, beams.numBeams);
        assertEquals(List.of(5, 6), beams.eosTokenId);
        assertEquals("never", beams.earlyStopping);
        assertEquals(1, g.numBeams, "the original is unchanged");
        assertNull(g.maxNewTokens);
        var unknown = assertThrows(IllegalArgumentException.class, () -> g.with(Map.of("num_beam", 3)));
        assertTrue(unknown.getMessage().contains("num_beam") && unknown.getMessage().contains("num_beams"),
                unknown.getMessage());
        var type = assertThrows(IllegalArgumentException.class, () -> g.with(Map.of("top_k", "many")));
        assertTrue(type.getMessage().contains("top_k"), type.getMessage());
    }

    @Test
    void aBadFileNamesItselfAndTheKey() throws Exception {
        Path bad = Files.writeString(tmp.resolve("generation_config.json"), "{\"max_new_tokens\": \"ten\"}");
        var e = assertThrows(IllegalArgumentException.class, () -> GenerationConfig.read(bad));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("max_new_tokens"),
                e.getMessage());
    }

    @Test
    void withoutAFileItComesFromTheModelConfig() {
        var config = AutoConfig.forModel("gpt2", Map.of());
        GenerationConfig g = GenerationConfig.forModel(tmp.toString(), config);
        assertEquals(List.of(50256), g.eosTokenId);
        assertTrue(g.toJson().get("_from_model_config").asBoolean());
        // the generation settings a 4.x config still carries come along, as from_model_config copies them
        var beams = AutoConfig.forModel("gpt2", Map.of("num_beams", 4, "max_length", 50, "no_repeat_ngram_size", 3));
        GenerationConfig fromConfig = GenerationConfig.forModel(tmp.toString(), beams);
        assertEquals(4, fromConfig.numBeams);
        assertEquals(50, fromConfig.maxLength);
        assertEquals(3, fromConfig.noRepeatNgramSize);
    }

    @Test
    void aGenerativeModelSavesItsGenerationConfigBesideItsConfig() throws Exception {
        Path theirs = TestResources.path("hf-tiny/tiny-gpt2/generation_config.json");
        try (var model = dev.javaformers.models.AutoModelForCausalLM.fromPretrained(TestResources.path(
                "hf-tiny/tiny-gpt2").toString())) {
            model.save(tmp.resolve("saved"));
        }
        assertEquals(Files.readString(theirs), Files.readString(tmp.resolve("saved/generation_config.json")),
                "the loaded generation config, written back as transformers writes it");
        try (var encoder = dev.javaformers.models.AutoModel.fromPretrained(TestResources.path("hf-tiny/tiny-bert")
                .toString())) {
            encoder.save(tmp.resolve("encoder"));
        }
        assertTrue(!Files.exists(tmp.resolve("encoder/generation_config.json")), "models that do not generate");
    }
}
