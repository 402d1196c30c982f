package dev.javaformers.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.data.DataCollatorForSeq2Seq;
import dev.javaformers.data.Dataset;
import dev.javaformers.models.AutoModelForSeq2SeqLM;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Seq2SeqTrainingArguments, text_target, DataCollatorForSeq2Seq and Seq2SeqTrainer with predict_with_generate on
 * a small T5 learning to reverse short word sequences: BLEU on held-out rows rises as the loss falls.
 */
class Seq2SeqTrainerTest {

    @TempDir
    static Path dir;
    static PreTrainedTokenizer tokenizer;

    /** A word-level tokenizer of "w0" (pad) ... "w49", "w1" the end of sequence appended to every text. */
    @BeforeAll
    static void makeTokenizer() throws Exception {
        String vocab = IntStream.range(0, 50).mapToObj(i -> "\"w" + i + "\": " + i).collect(Collectors.joining(", "));
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [], "normalizer": null,
                 "pre_tokenizer": {"type": "Whitespace"},
                 "post_processor": {"type": "TemplateProcessing",
                   "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "w1", "type_id": 0}}],
                   "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 0}}],
                   "special_tokens": {"w1": {"id": "w1", "ids": [1], "tokens": ["w1"]}}},
                 "decoder": null, "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "w0"}}
                """.formatted(vocab));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"pad_token\": \"w0\", \"eos_token\": \"w1\"}");
        tokenizer = AutoTokenizer.fromPretrained(dir.toString());
    }

    static Dataset reversals(int rows, long seed) {
        Random random = new Random(seed);
        List<String> sources = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            List<String> words = new ArrayList<>();
            for (int n = 3 + random.nextInt(3); n > 0; n--) {
                words.add("w" + (2 + random.nextInt(10)));
            }
            sources.add(String.join(" ", words));
            java.util.Collections.reverse(words);
            targets.add(String.join(" ", words));
        }
        return Dataset.fromTable(Table.create("reverse", StringColumn.create("source", sources),
                StringColumn.create("target", targets)));
    }

    @Test
    void textTargetTokenizesTheLabelsAndTheCollatorPadsThemWithMinus100() {
        try (BatchEncoding enc = tokenizer.encode(List.of("w5 w6 w7", "w8"), Map.of("text_target",
                List.of("w7 w6 w5", "w8 w9")))) {
            assertArrayEquals(new long[] {7, 6, 5, 1}, ((long[][]) enc.get("labels"))[0]);
            assertArrayEquals(new long[] {8, 9, 1}, ((long[][]) enc.get("labels"))[1]);
        }
        Dataset data = reversals(4, 1).map(tokenizer, "source", Map.of("text_target", "target"));
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> batch = new DataCollatorForSeq2Seq(tokenizer).collate(data, new int[] {0, 1, 2, 3},
                    manager);
            long[] labels = batch.get("labels").toLongArray();
            long[] ids = batch.get("input_ids").toLongArray();
            long[] mask = batch.get("attention_mask").toLongArray();
            int width = (int) batch.get("labels").getShape().get(1);
            for (int r = 0; r < 4; r++) {
                int n = data.sequences("labels").length(r);
                for (int t = 0; t < width; t++) {
                    assertEquals(t < n ? data.sequences("labels").get(r)[t] : -100, labels[r * width + t]);
                }
            }
            for (int i = 0; i < ids.length; i++) {
                assertEquals(mask[i] == 0, ids[i] == 0, "pad where the mask is 0");
            }
        }
        var bad = assertThrows(IllegalArgumentException.class, () -> Seq2SeqTrainingArguments.of(Map.of(
                "output_dir", dir.toString(), "generation_num_beams", 0)));
        assertTrue(bad.getMessage().contains("generation_num_beams"), bad.getMessage());
    }

    @Test
    void bleuRisesAsASmallT5LearnsToReverse() {
        Trainer.setSeed(42);
        var splits = reversals(400, 7).map(tokenizer, "source", Map.of("text_target", "target"))
                .trainTestSplit(40, 42, null);
        try (PreTrainedModel<?> model = AutoModelForSeq2SeqLM.fromConfig(AutoConfig.forModel("t5", Map.of(
                "vocab_size", 50, "d_model", 32, "d_kv", 8, "d_ff", 64, "num_layers", 2, "num_heads", 4,
                "dropout_rate", 0.0, "decoder_start_token_id", 0)))) {
            Seq2SeqTrainingArguments args = Seq2SeqTrainingArguments.of(Map.of("output_dir",
                    dir.resolve("run").toString(), "num_train_epochs", 14, "per_device_train_batch_size", 16,
                    "learning_rate", 1e-2, "save_strategy", "no", "disable_tqdm", true, "predict_with_generate", true,
                    "generation_max_length", 8));
            // the inherited builder methods keep the Seq2SeqTrainer type, so the chain may end with its own
            Seq2SeqTrainer trainer = new Seq2SeqTrainer(model, args).optTrainDataset(splits.split("train"))
                    .optEvalDataset(splits.split("test")).optProcessingClass(tokenizer)
                    .optDataCollator(new DataCollatorForSeq2Seq(tokenizer))
                    .optComputeGenerationMetrics(p -> Map.of("bleu", TextMetrics.bleu(p.predictedTexts(),
                            p.labelTexts().stream().map(List::of).toList()).score()));
            Map<String, Double> before = trainer.evaluate();
            trainer.train();
            Map<String, Double> after = trainer.evaluate();
            System.out.println("Seq2SeqTrainerTest: " + before + " -> " + after);
            assertTrue(after.get("eval_loss") < before.get("eval_loss") - 1, before + " -> " + after);
            assertTrue(after.get("eval_bleu") > before.get("eval_bleu") + 20, before + " -> " + after);
            assertTrue(after.containsKey("eval_gen_len"), after.toString());
            var generated = trainer.generate(splits.split("test").selectRange(0, 2));
            assertEquals(2, generated.predictedTexts().size());
            assertEquals(0, generated.predictions()[0][0], "generation starts from decoder_start_token_id");
        }
    }
}
