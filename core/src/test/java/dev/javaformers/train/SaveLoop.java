package dev.javaformers.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.data.Dataset;
import dev.javaformers.models.AutoModelForSequenceClassification;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import dev.javaformers.util.PyJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saves two versions of everything (model and tokenizer into one folder, a config, a dataset as CSV and JSON Lines,
 * a Trainer checkpoint) over each other in a loop, for the test that kills it: {@code SaveLoop CACHE ROOT}. It prints
 * "ready" once both versions are built, "saving model" as each round begins, and "saved A" or "saved B" after it.
 * The folders start as version A.
 */
public final class SaveLoop {

    /** One version of everything that is saved. */
    static final class Version implements AutoCloseable {
        final String name;
        final PreTrainedModel<?> model;
        final PreTrainedTokenizer tokenizer;
        final Dataset dataset;
        final AdamW optimizer;
        final TrainerState state = new TrainerState();
        final TrainingArguments args;

        Version(Path cache, Path root, String name) {
            this.name = name;
            boolean a = name.equals("A");
            Trainer.setSeed(a ? 1 : 2);
            model = AutoModelForSequenceClassification.fromConfig(AutoConfig.forModel("bert", Map.of("hidden_size",
                    16, "num_hidden_layers", 1, "num_attention_heads", 2, "intermediate_size", 32,
                    "max_position_embeddings", 64, "num_labels", 2, "hidden_dropout_prob", a ? 0.1 : 0.2)));
            tokenizer = TrainFixtures.tokenizer(cache);
            tokenizer.paddingSide = a ? "right" : "left";
            tokenizer.modelMaxLength = a ? 128 : 64;
            dataset = TrainFixtures.sentences(tokenizer, a ? 20 : 30);
            optimizer = new AdamW(model, 0.9, 0.999, 1e-8, 0);
            state.globalStep = 2; // the same checkpoint-2 each time: a save replaces the one before
            args = TrainingArguments.of(Map.of("output_dir", root.resolve("out").toString()));
        }

        void saveAll(Path root) throws Exception {
            System.out.println("saving model");
            System.out.flush();
            model.save(root.resolve("model"));
            tokenizer.save(root.resolve("model"));
            model.config().save(Files.createDirectories(root.resolve("config")));
            dataset.toCsv(root.resolve("data.csv"));
            dataset.toJson(root.resolve("data.jsonl"));
            ObjectNode scheduler = PyJson.MAPPER.createObjectNode().put("type", "linear");
            CheckpointIO.save(root.resolve("out"), model, tokenizer, optimizer, state, args, scheduler);
        }

        @Override
        public void close() {
            model.close();
            tokenizer.close();
        }
    }

    public static void main(String[] args) throws Exception {
        Path cache = Path.of(args[0]);
        Path root = Path.of(args[1]);
        try (Version a = new Version(cache, root, "A"); Version b = new Version(cache, root, "B")) {
            System.out.println("ready");
            System.out.flush();
            for (int round = 0; ; round++) {
                Version v = round % 2 == 0 ? b : a;
                v.saveAll(root);
                System.out.println("saved " + v.name);
                System.out.flush();
            }
        }
    }
}
