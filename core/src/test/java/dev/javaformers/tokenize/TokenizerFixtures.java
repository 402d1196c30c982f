package dev.javaformers.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.TestResources;
import dev.javaformers.util.PyJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real tokenizers the tests use, offline. */
final class TokenizerFixtures {

    static final String MINILM = "sentence-transformers/all-MiniLM-L6-v2";

    private TokenizerFixtures() {}

    /** all-MiniLM-L6-v2's tokenizer (bert-base-uncased vocabulary), from the bundled snapshot in {@code cache}. */
    static PreTrainedTokenizer miniLm(Path cache) {
        return AutoTokenizer.fromPretrained(MINILM, Map.of("cache_dir", cache.toString(), "local_files_only", true));
    }

    static List<String> sampleTexts() {
        List<String> out = new ArrayList<>();
        PyJson.read(TestResources.path("tokenizers/sample-texts.json")).forEach(t -> out.add(t.asText()));
        return out;
    }

    static List<long[]> expectedGpt2() {
        List<long[]> out = new ArrayList<>();
        for (JsonNode row : PyJson.read(TestResources.path("tokenizers/expected-gpt2.json"))) {
            long[] ids = new long[row.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = row.get(i).asLong();
            }
            out.add(ids);
        }
        return out;
    }
}
