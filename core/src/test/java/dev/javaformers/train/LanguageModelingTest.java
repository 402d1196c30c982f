package dev.javaformers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.TestResources;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.data.DataCollatorForLanguageModeling;
import dev.javaformers.data.Dataset;
import dev.javaformers.data.Datasets;
import dev.javaformers.models.AutoModelForCausalLM;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Causal language modeling as transformers' run_clm.py does it, on real text (the built-in sentiment sentences)
 * with GPT-2's real tokenizer: Datasets.text, groupTexts, DataCollatorForLanguageModeling (causal and masked),
 * and the Trainer lowering a small GPT-2's loss.
 */
class LanguageModelingTest {

    @TempDir
    Path dir;

    static PreTrainedTokenizer gpt2() {
        return AutoTokenizer.fromPretrained(TestResources.path("tokenizers/gpt2").toString());
    }

    static Dataset sentences(PreTrainedTokenizer tokenizer, int rows) {
        return Datasets.builtin("sentiment-sentences").selectRange(0, rows).map(tokenizer, "text", Map.of());
    }

    @Test
    void groupTextsCutsTheConcatenatedTokensIntoBlocks() throws Exception {
        Path file = dir.resolve("lines.txt");
        Files.writeString(file, "In the beginning God created the heaven and the earth.\n\nAnd the earth was "
                + "without form, and void.\n");
        Dataset lines = Datasets.text(file);
        assertEquals(2, lines.numRows(), "one row a line, the empty one left out");
        assertEquals("And the earth was without form, and void.", lines.get(1).get("text"));
        try (PreTrainedTokenizer tokenizer = gpt2()) {
            Dataset tokens = sentences(tokenizer, 50);
            int[] all = IntStream.range(0, tokens.numRows()).flatMap(r -> Arrays.stream(tokens.sequences("input_ids")
                    .get(r))).toArray();
            Dataset blocks = tokens.groupTexts(16);
            assertEquals(all.length / 16, blocks.numRows());
            assertEquals(java.util.List.of("input_ids"), blocks.columnNames());
            for (int b = 0; b < blocks.numRows(); b++) {
                assertArrayEquals(Arrays.copyOfRange(all, b * 16, b * 16 + 16), blocks.sequences("input_ids").get(b));
            }
            assertEquals(blocks.numRows(), blocks.shuffle(3).trainTestSplit(0.25, 1, null).split("train").numRows()
                    + blocks.shuffle(3).trainTestSplit(0.25, 1, null).split("test").numRows());
        }
    }

    @Test
    void theCausalCollatorLabelsTheInputsAndIgnoresPadding() {
        try (PreTrainedTokenizer tokenizer = gpt2(); NDManager manager = NDManager.newBaseManager()) {
            Dataset ragged = sentences(tokenizer, 4);
            var collator = new DataCollatorForLanguageModeling(tokenizer, false);
            var error = assertThrows(IllegalArgumentException.class, () -> collator.collate(ragged,
                    new int[] {0, 1, 2, 3}, manager));
            assertTrue(error.getMessage().contains("padding token"), error.getMessage());

            tokenizer.setPadToken(tokenizer.eosToken());
            Map<String, NDArray> batch = new DataCollatorForLanguageModeling(tokenizer, false).collate(ragged,
                    new int[] {0, 1, 2, 3}, manager);
            long[] ids = batch.get("input_ids").toLongArray();
            long[] mask = batch.get("attention_mask").toLongArray();
            long[] labels = batch.get("labels").toLongArray();
            long pad = tokenizer.padTokenId();
            for (int i = 0; i < ids.length; i++) {
                assertEquals(ids[i] == pad ? -100 : ids[i], labels[i], "position " + i);
                if (mask[i] == 0) {
                    assertEquals(pad, ids[i], "padding at " + i);
                }
            }
            assertTrue(Arrays.stream(mask).anyMatch(m -> m == 0), "rows were padded");
        }
    }

    @Test
    void theMaskedCollatorMasksAboutFifteenPercentOfOrdinaryTokens() {
        try (PreTrainedTokenizer tokenizer = TrainFixtures.tokenizer(dir.resolve("cache"));
                NDManager manager = NDManager.newBaseManager()) {
            Dataset data = sentences(tokenizer, 400);
            Map<String, NDArray> batch = new DataCollatorForLanguageModeling(tokenizer, true).optSeed(5)
                    .collate(data, IntStream.range(0, 400).toArray(), manager);
            long[] ids = batch.get("input_ids").toLongArray();
            long[] labels = batch.get("labels").toLongArray();
            long[] mask = batch.get("attention_mask").toLongArray();
            long maskId = tokenizer.maskTokenId();
            int ordinary = 0;
            int chosen = 0;
            int masked = 0;
            for (int i = 0; i < ids.length; i++) {
                boolean special = labels[i] == -100 && (ids[i] == tokenizer.clsTokenId() || ids[i] == tokenizer
                        .sepTokenId() || ids[i] == tokenizer.padTokenId());
                if (mask[i] == 1 && !special) {
                    ordinary++;
                }
                if (labels[i] != -100) {
                    chosen++;
                    masked += ids[i] == maskId ? 1 : 0;
                    assertTrue(labels[i] != tokenizer.clsTokenId() && labels[i] != tokenizer.sepTokenId(),
                            "special tokens are never chosen");
                }
            }
            double share = (double) chosen / ordinary;
            assertTrue(share > 0.13 && share < 0.17, "chosen share " + share);
            double maskedShare = (double) masked / chosen;
            assertTrue(maskedShare > 0.75 && maskedShare < 0.85, "masked share " + maskedShare);
        }
    }

    @Test
    void theTrainerTeachesASmallGpt2() {
        Trainer.setSeed(42);
        try (PreTrainedTokenizer tokenizer = gpt2();
                PreTrainedModel<?> model = AutoModelForCausalLM.fromConfig(AutoConfig.forModel("gpt2", Map.of(
                        "n_embd", 32, "n_layer", 2, "n_head", 2, "n_positions", 32)))) {
            var splits = sentences(tokenizer, 600).groupTexts(32).trainTestSplit(0.1, 42, null);
            TrainingArguments args = TrainingArguments.of(Map.of("output_dir", dir.resolve("run").toString(),
                    "max_steps", 40, "per_device_train_batch_size", 16, "learning_rate", 5e-3, "logging_steps", 10,
                    "save_strategy", "no", "disable_tqdm", true));
            Trainer trainer = new Trainer(model, args).optTrainDataset(splits.split("train"))
                    .optEvalDataset(splits.split("test"))
                    .optDataCollator(new DataCollatorForLanguageModeling(tokenizer, false));
            double before = trainer.evaluate().get("eval_loss");
            trainer.train();
            double after = trainer.evaluate().get("eval_loss");
            assertTrue(Math.abs(before - Math.log(50257)) < 0.5, "an untrained model guesses uniformly: " + before);
            assertTrue(after < before - 2, "eval loss " + before + " -> " + after);
        }
    }
}
