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
}
