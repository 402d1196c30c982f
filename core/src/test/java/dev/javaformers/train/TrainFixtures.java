package dev.javaformers.train;

import dev.javaformers.config.AutoConfig;
import dev.javaformers.data.Dataset;
import dev.javaformers.data.Datasets;
import dev.javaformers.models.AutoModelForSequenceClassification;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A small BERT with MiniLM's vocabulary, its tokenizer, and tokenized sentiment sentences, for fast training. */
final class TrainFixtures {

    private TrainFixtures() {}

    static PreTrainedTokenizer tokenizer(Path cache) {
        return AutoTokenizer.fromPretrained("sentence-transformers/all-MiniLM-L6-v2",
                Map.of("cache_dir", cache.toString(), "local_files_only", true));
    }

    /** Writes a freshly initialised small classifier (seeded) to {@code dir} and returns the folder. */
    static Path smallModel(Path dir, long seed) throws Exception {
        if (!Files.exists(dir.resolve("model.safetensors"))) {
            Trainer.setSeed(seed);
            try (PreTrainedModel<?> model = AutoModelForSequenceClassification.fromConfig(AutoConfig.forModel("bert",
                    Map.of("hidden_size", 16, "num_hidden_layers", 1, "num_attention_heads", 2,
                            "intermediate_size", 32, "max_position_embeddings", 64, "num_labels", 2)))) {
                model.save(dir);
            }
        }
        return dir;
    }

    static Dataset sentences(PreTrainedTokenizer tokenizer, int rows) {
        return Datasets.builtin("sentiment-sentences").shuffle(1).selectRange(0, rows)
                .map(tokenizer, "text", Map.of("truncation", true, "max_length", 32));
    }

    static PreTrainedModel<?> load(Path dir) {
        return AutoModelForSequenceClassification.fromPretrained(dir.toString());
    }
}
