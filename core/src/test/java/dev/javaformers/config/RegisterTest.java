package dev.javaformers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegisterTest {

    /** A user's own architecture, as in transformers' "new-model" example. */
    public static class NewModelConfig extends PretrainedConfig {
        public int hiddenSize = 64;
        public int numAttentionHeads = 4;
        public String gate = "swiglu";

        @Override
        public String getModelType() {
            return "new-model";
        }
    }

    public static class MislabelledConfig extends PretrainedConfig {
        @Override
        public String getModelType() {
            return "other-name";
        }
    }

    @TempDir
    Path tmp;

    @Test
    void registeredConfigLoadsByModelTypeAndSavesBack() throws Exception {
        AutoConfig.register("new-model", NewModelConfig.class);
        NewModelConfig config = (NewModelConfig) AutoConfig.forModel("new-model", Map.of("heads", 8));
        assertEquals(8, config.numAttentionHeads);
        config.gate = "geglu";
        config.save(tmp);
        String json = Files.readString(tmp.resolve("config.json"));
        assertTrue(json.contains("\"model_type\": \"new-model\""), json);
        NewModelConfig loaded = assertInstanceOf(NewModelConfig.class,
                AutoConfig.fromPretrained(tmp.toString(), Map.of("hidden_size", 128)));
        assertEquals("geglu", loaded.gate);
        assertEquals(128, loaded.hiddenSize);
        assertEquals(8, loaded.numAttentionHeads);

        var twice = assertThrows(IllegalArgumentException.class,
                () -> AutoConfig.register("new-model", NewModelConfig.class));
        assertTrue(twice.getMessage().contains("already registered"), twice.getMessage());
        var builtIn = assertThrows(IllegalArgumentException.class,
                () -> AutoConfig.register("bert", NewModelConfig.class));
        assertTrue(builtIn.getMessage().contains("does not match"), builtIn.getMessage());
        var mismatch = assertThrows(IllegalArgumentException.class,
                () -> AutoConfig.register("mislabelled", MislabelledConfig.class));
        assertTrue(mismatch.getMessage().contains("other-name"), mismatch.getMessage());
    }
}
