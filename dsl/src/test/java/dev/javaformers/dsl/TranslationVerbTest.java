package dev.javaformers.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.config.AutoConfig;
import dev.javaformers.models.AutoModelForSeq2SeqLM;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train < task 'translation', predict_with_generate true >}: the DSL's Seq2SeqTrainer on a text and a target
 * column, a small T5 learning to reverse word sequences, BLEU on the held-out split.
 */
class TranslationVerbTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeModelAndData() throws Exception {
        dev.javaformers.train.Trainer.setSeed(42);
        try (var model = AutoModelForSeq2SeqLM.fromConfig(AutoConfig.forModel("t5", Map.of("vocab_size", 50,
                "d_model", 32, "d_kv", 8, "d_ff", 64, "num_layers", 2, "num_heads", 4, "dropout_rate", 0.0,
                "decoder_start_token_id", 0)))) {
            model.save(dir.resolve("t5"));
        }
        String vocab = IntStream.range(0, 50).mapToObj(i -> "\"w" + i + "\": " + i).collect(Collectors.joining(", "));
        Files.writeString(dir.resolve("t5/tokenizer.json"), """
                {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [], "normalizer": null,
                 "pre_tokenizer": {"type": "Whitespace"},
                 "post_processor": {"type": "TemplateProcessing",
                   "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "w1", "type_id": 0}}],
                   "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 0}}],
                   "special_tokens": {"w1": {"id": "w1", "ids": [1], "tokens": ["w1"]}}},
                 "decoder": null, "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "w0"}}
                """.formatted(vocab));
        Files.writeString(dir.resolve("t5/tokenizer_config.json"), "{\"pad_token\": \"w0\", \"eos_token\": \"w1\"}");
        Random random = new Random(7);
        List<String> lines = new ArrayList<>(List.of("source,reversed"));
        for (int i = 0; i < 400; i++) {
            List<String> words = new ArrayList<>();
            for (int n = 3 + random.nextInt(3); n > 0; n--) {
                words.add("w" + (2 + random.nextInt(10)));
            }
            String source = String.join(" ", words);
            java.util.Collections.reverse(words);
            lines.add(source + "," + String.join(" ", words));
        }
        Files.write(dir.resolve("pairs.csv"), lines);
    }

    @Test
    void trainsASeq2SeqModelAndReportsBleu() throws Exception {
        Path script = dir.resolve("translate.groovy");
        Files.writeString(script, """
                model '%s' < task 'translation' >
                dataset csv('%s') < text 'source', target 'reversed' >
                split 0.1
                def after = train < task 'translation', epochs 6, batch 16, lr 1e-2, quiet true,
                        predict_with_generate true, generation_max_length 8 >
                println "BLEU[${after.eval_bleu}] GEN_LEN[${after.eval_gen_len}]"
                """.formatted(dir.resolve("t5").toString().replace("\\", "/"),
                dir.resolve("pairs.csv").toString().replace("\\", "/")));
        Scripts.Result r = Scripts.run(script);
        assertEquals(0, r.status(), r.err() + r.out());
        Matcher m = Pattern.compile("BLEU\\[([0-9.]+)\\] GEN_LEN\\[([0-9.]+)\\]").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) > 10, "held-out BLEU after six epochs: " + m.group(1));
    }
}
