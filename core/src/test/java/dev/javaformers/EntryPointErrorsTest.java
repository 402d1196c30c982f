package dev.javaformers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.config.AutoConfig;
import dev.javaformers.data.Datasets;
import dev.javaformers.models.AutoModel;
import dev.javaformers.models.AutoModelForCausalLM;
import dev.javaformers.pipelines.Pipelines;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import dev.javaformers.train.TrainingArguments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API's answers to the usual mistakes (the README's troubleshooting table): a wrong type, a missing file,
 * an unknown model_type, a wrong option name. Each is the project's exception with one line that names the thing
 * and says what was expected.
 */
class EntryPointErrorsTest {

    @TempDir
    Path tmp;

    private record Case(String mistake, Runnable call, List<String> mustName) {}

    @Test
    void everyMistakeGetsOneLineNamingTheThingAndWhatWasExpected() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path unknownType = Files.createDirectories(tmp.resolve("unknown-type"));
        Files.writeString(unknownType.resolve("config.json"), "{\"model_type\": \"bertt\"}");
        Path noWeights = Files.createDirectories(tmp.resolve("no-weights"));
        Files.copy(TestResources.path("hf-tiny/tiny-bert/config.json"), noWeights.resolve("config.json"));
        Path csv = Files.writeString(tmp.resolve("reviews.csv"), "text,label\nfine,1\n");
        Map<String, Object> nullScheduler = new HashMap<>();
        nullScheduler.put("lr_scheduler_type", null);
        String tinyBert = TestResources.path("hf-tiny/tiny-bert").toString();
        String tinyLlama = TestResources.path("hf-tiny-decoders/tiny-llama").toString();
        try (PreTrainedTokenizer tokenizer = AutoTokenizer.fromPretrained("sentence-transformers/all-MiniLM-L6-v2",
                Map.of("cache_dir", tmp.resolve("cache").toString(), "local_files_only", true))) {
            List<Case> cases = List.of(
                    new Case("model folder that does not exist", () -> AutoModel.fromPretrained(
                            tmp.resolve("nope").toString()), List.of("nope", "not a local folder")),
                    new Case("folder without config.json", () -> AutoConfig.fromPretrained(empty.toString()),
                            List.of("config.json", "empty")),
                    new Case("unknown model_type", () -> AutoConfig.fromPretrained(unknownType.toString()),
                            List.of("bertt", "model_type")),
                    new Case("config option misspelt", () -> AutoConfig.forModel("bert", Map.of("num_haeds", 2)),
                            List.of("num_haeds")),
                    new Case("config option misspelt by a letter", () -> AutoConfig.forModel("bert",
                            Map.of("hidden_sise", 2)), List.of("hidden_sise", "Did you mean 'hidden_size'?")),
                    new Case("config option of the wrong type", () -> AutoConfig.forModel("bert",
                            Map.of("hidden_size", "big")), List.of("hidden_size", "big")),
                    new Case("folder without weights", () -> AutoModel.fromPretrained(noWeights.toString()),
                            List.of("model.safetensors", "no-weights")),
                    new Case("folder without a tokenizer", () -> AutoTokenizer.fromPretrained(empty.toString()),
                            List.of("tokenizer", "empty")),
                    new Case("training argument misspelt", () -> TrainingArguments.of(Map.of("output_dir", "out",
                            "learning_rte", 1e-3)), List.of("learning_rte", "Did you mean 'learning_rate'?")),
                    new Case("training argument of the wrong type", () -> TrainingArguments.of(Map.of("output_dir",
                            "out", "num_train_epochs", "three")), List.of("num_train_epochs", "three", "a number")),
                    new Case("training argument null", () -> TrainingArguments.of(nullScheduler),
                            List.of("lr_scheduler_type", "linear")),
                    new Case("unknown pipeline task", () -> Pipelines.pipeline("sentiment-analyss", tinyBert),
                            List.of("sentiment-analyss", "Did you mean 'sentiment-analysis'?")),
                    new Case("data file that does not exist", () -> Datasets.csv(tmp.resolve("missing.csv")),
                            List.of("missing.csv")),
                    new Case("data option misspelt", () -> Datasets.csv(csv, Map.of("skip_bad_row", true)),
                            List.of("skip_bad_row", "reviews.csv", "Did you mean 'skip_bad_rows'?")),
                    new Case("encode option of the wrong value", () -> tokenizer.encode("hi",
                            Map.of("padding", "sideways")), List.of("padding", "sideways")),
                    new Case("encode option misspelt", () -> tokenizer.encode("hi", Map.of("max_lenght", 8)),
                            List.of("max_lenght", "Did you mean 'max_length'?")),
                    new Case("generate option misspelt", () -> {
                        try (var lm = AutoModelForCausalLM.fromPretrained(tinyLlama)) {
                            ((dev.javaformers.generation.GenerationMixin) lm).generate(new long[][] {{1, 2}},
                                    new long[][] {{1, 1}}, Map.of("max_new_tokns", 3));
                        }
                    }, List.of("max_new_tokns", "Did you mean 'max_new_tokens'?")),
                    new Case("save option misspelt", () -> Datasets.csv(csv).toJson(tmp.resolve("x.json"),
                            Map.of("orient", "records")), List.of("orient", "lines")));
            List<String> problems = new ArrayList<>();
            for (Case c : cases) {
                try {
                    c.call().run();
                    problems.add(c.mistake() + ": no error");
                } catch (RuntimeException e) {
                    String message = e.getMessage();
                    assertNotNull(message, c.mistake());
                    boolean ours = e instanceof IllegalArgumentException
                            || e instanceof dev.javaformers.hub.HubException
                            || e instanceof dev.javaformers.weights.InvalidWeightsException;
                    if (!ours || message.contains("\n") || !c.mustName().stream().allMatch(message::contains)) {
                        problems.add(c.mistake() + ": " + e.getClass().getSimpleName() + ": " + message);
                    }
                }
            }
            assertTrue(problems.isEmpty(), String.join("\n", problems));
        }
    }
}
