package dev.javaformers.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.config.AutoConfig;
import dev.javaformers.models.AutoModelForCausalLM;
import dev.javaformers.models.gpt2.GPT2LMHeadModel;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DSL's generate verb: the same text as the Java API's generate and decode, streamed as it comes. */
class GenerateVerbTest {

    @TempDir
    static Path dir;

    /** A small random GPT-2 and a word-level tokenizer of its 100 tokens ("w0" ... "w99"). */
    @BeforeAll
    static void makeModel() throws Exception {
        dev.javaformers.train.Trainer.setSeed(3);
        try (var model = AutoModelForCausalLM.fromConfig(AutoConfig.forModel("gpt2", Map.of("vocab_size", 100,
                "n_embd", 16, "n_layer", 1, "n_head", 2, "n_positions", 64, "eos_token_id", 99, "bos_token_id", 99)))) {
            model.save(dir);
        }
        String vocab = IntStream.range(0, 100).mapToObj(i -> "\"w" + i + "\": " + i).collect(Collectors.joining(", "));
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [], "normalizer": null,
                 "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
                 "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "w0"}}
                """.formatted(vocab));
    }

    private static String javaSide(Map<String, Object> settings) {
        try (var model = GPT2LMHeadModel.fromPretrained(dir.toString(), Map.of());
                PreTrainedTokenizer tokenizer = AutoTokenizer.fromPretrained(dir.toString())) {
            return tokenizer.decode(model.generate(new long[][] {{5, 17, 33}}, null, settings)[0], true);
        }
    }

    @Test
    void generatesWhatTheJavaApiGeneratesAndStreamsIt() throws Exception {
        Path script = dir.resolve("gen.groovy");
        Files.writeString(script, """
                model '%s' < task 'text-generation' >
                def greedy = generate 'w5 w17 w33' < max_new_tokens 6 >
                println "GREEDY[$greedy]"
                def sampled = generate('w5 w17 w33') { max_new_tokens 6; temperature 0.7; seed 3; stream false }
                println "SAMPLED[$sampled]"
                """.formatted(dir.toString().replace("\\", "/")));
        Scripts.Result r = Scripts.run(script);
        assertEquals(0, r.status(), r.err());
        String greedy = javaSide(Map.of("max_new_tokens", 6));
        String sampled = javaSide(Map.of("max_new_tokens", 6, "temperature", 0.7, "seed", 3, "do_sample", true));
        assertTrue(greedy.startsWith("w5 w17 w33 ") && greedy.split(" ").length == 9, greedy);
        assertTrue(r.out().contains("GREEDY[" + greedy + "]"), r.out());
        assertTrue(r.out().contains("SAMPLED[" + sampled + "]"), r.out());
        assertTrue(r.out().indexOf(greedy + "\n") < r.out().indexOf("GREEDY["), "streamed before it was returned:\n"
                + r.out());
        assertEquals(1, r.out().split(java.util.regex.Pattern.quote(sampled), -1).length - 1,
                "the unstreamed text is printed once:\n" + r.out());
    }
}
