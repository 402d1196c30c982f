package dev.javaformers.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/jshell: the project on the class path and its API imported, at the prompt and for .jsh files. */
class JShellScriptTest {

    @TempDir
    Path tmp;

    private String run(String stdin, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder();
        pb.command().add("bash");
        pb.command().add(Path.of("..", "scripts", "jshell").toString());
        pb.command().addAll(java.util.List.of(args));
        pb.environment().put("JAVAFORMERS_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("HF_HUB_OFFLINE", "1");
        pb.environment().put("HF_HOME", tmp.resolve("hf").toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "jshell finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void theFirstPromptLoadsTheRealModel() throws Exception {
        String out = run("var model = AutoModelForSequenceClassification.fromPretrained("
                + "\"sentence-transformers/all-MiniLM-L6-v2\")\nSystem.out.println(\"LOADED \" + model)\n/exit\n");
        assertTrue(out.contains("LOADED BertForSequenceClassification(bert, 22713986 parameters"), out);
    }

    @Test
    void runsAJshFile() throws Exception {
        Path script = tmp.resolve("config.jsh");
        Files.writeString(script, "var config = AutoConfig.forModel(\"bert\", Map.of(\"heads\", 4))\n"
                + "System.out.println(\"HEADS \" + config.get(\"num_attention_heads\"))\n/exit\n");
        String out = run(null, script.toString());
        assertTrue(out.contains("HEADS 4"), out);
    }

    @Test
    void generatesAndStreamsAtThePrompt() throws Exception {
        Path dir = tmp.resolve("tiny-gpt2");
        dev.javaformers.train.Trainer.setSeed(3);
        try (var model = dev.javaformers.models.AutoModelForCausalLM.fromConfig(dev.javaformers.config.AutoConfig
                .forModel("gpt2", java.util.Map.of("vocab_size", 100, "n_embd", 16, "n_layer", 1, "n_head", 2,
                        "n_positions", 64, "eos_token_id", 99)))) {
            model.save(dir);
        }
        String vocab = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "\"w" + i + "\": " + i)
                .collect(java.util.stream.Collectors.joining(", "));
        Files.writeString(dir.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"added_tokens\": [], "
                + "\"pre_tokenizer\": {\"type\": \"Whitespace\"}, \"model\": {\"type\": \"WordLevel\", "
                + "\"vocab\": {" + vocab + "}, \"unk_token\": \"w0\"}}");
        String out = run("var lm = (GenerationMixin) AutoModelForCausalLM.fromPretrained(\"" + dir + "\")\n"
                + "var tok = AutoTokenizer.fromPretrained(\"" + dir + "\")\n"
                + "var ids = lm.generate(tok.encode(\"w5 w17 w33\"), Map.of(\"max_new_tokens\", 4), "
                + "new TextStreamer(tok))\n"
                + "System.out.println(\"RETURNED \" + tok.decode(ids[0], true))\n/exit\n");
        java.util.regex.Matcher returned = java.util.regex.Pattern.compile("RETURNED (w5 w17 w33( w\\d+){4})")
                .matcher(out);
        assertTrue(returned.find(), out);
        assertTrue(out.indexOf(returned.group(1)) < returned.start(), "streamed before it returned: " + out);
    }
}
