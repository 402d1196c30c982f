package dev.javaformers.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DSL scripts run end to end on the real model; errors name the script's line. */
class ScriptRunnerTest {

    @TempDir
    Path tmp;

    private record Result(int status, String out, String err) {}

    private Result run(String name, String source, String... args) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, source);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int status = ScriptRunner.run(file, List.of(args), false, new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
        }
    }

    @Test
    void fineTunesEvaluatesPlotsAndPredicts() throws Exception {
        String dir = tmp.toString().replace("\\", "/");
        Result r = run("tiny.groovy", """
                model('sentence-transformers/all-MiniLM-L6-v2') { task 'sequence-classification' }
                dataset builtin('sentiment-sentences')
                split 0.2
                tokenize('text') { max_length 32 }
                def metrics = train {
                    steps 3
                    batch 8
                    output '%1$s/run'
                }
                println "accuracy ${metrics.eval_accuracy}"
                println "plot ${plot loss, '%1$s/loss.png'}"
                def p = predict 'I loved this phone.'
                assert p.label in ['negative', 'positive']
                println "predicted ${p.label} ${p.score}"
                save '%1$s/saved'
                """.formatted(dir));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("accuracy 0."), r.out());
        assertTrue(Files.size(tmp.resolve("loss.png")) > 1000);
        assertTrue(r.out().contains("predicted "), r.out());
        assertTrue(Files.exists(tmp.resolve("saved/model.safetensors")) && Files.exists(tmp.resolve("saved/tokenizer.json")));
        assertTrue(Files.exists(tmp.resolve("run/log_history.jsonl")));
    }

    @Test
    void errorsNameTheScriptLineWithoutAStack() throws Exception {
        Result missing = run("bad.groovy", "model 'sentence-transformers/all-MiniLM-L6-v2'\n\ndataset csv('no-such.csv')\n");
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("bad.groovy:3: No such data file"), missing.err());
        assertFalse(missing.err().contains("\tat "), "no Java stack: " + missing.err());

        Result order = run("order.groovy", "println 'start'\ntrain { steps 1 }\n");
        assertTrue(order.err().startsWith("order.groovy:2: No dataset yet"), order.err());

        Result syntax = run("syntax.groovy", "println 'a'\nmodel('x') {\n");
        assertEquals(1, syntax.status());
        assertTrue(syntax.err().contains("syntax.groovy") && syntax.err().contains("line 3"), syntax.err());
    }
}
