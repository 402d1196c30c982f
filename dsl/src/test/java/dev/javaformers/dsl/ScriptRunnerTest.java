package dev.javaformers.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DSL scripts run end to end on the real model; errors name the script's line. */
class ScriptRunnerTest {

    @TempDir
    Path tmp;

    private Scripts.Result run(String name, String source, String... args) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, source);
        return Scripts.run(file, args);
    }

    @Test
    void fineTunesEvaluatesPlotsAndPredicts() throws Exception {
        String dir = tmp.toString().replace("\\", "/");
        Scripts.Result r = run("tiny.groovy", """
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
                def classify = pipeline('sentiment-analysis', '%1$s/saved')
                def viaPipeline = classify('I loved this phone.')
                assert viaPipeline[0].label == p.label && Math.abs(viaPipeline[0].score - p.score) < 1e-5
                def embed = pipeline('feature-extraction', 'sentence-transformers/all-MiniLM-L6-v2', pooling: 'mean',
                        normalize: true)
                def (food, bread, market) = embed(['A man is eating food.', 'A man is eating a piece of bread.',
                        'The stock market fell sharply on Tuesday.'])
                def cos = { a, b -> [a, b].transpose().sum { it[0] * it[1] } }
                println "pipeline cosines ${cos(food, bread)} ${cos(food, market)}"
                assert cos(food, bread) > 0.6 && cos(food, market) < 0.2
                """.formatted(dir));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("accuracy 0."), r.out());
        assertTrue(Files.size(tmp.resolve("loss.png")) > 1000);
        assertTrue(r.out().contains("predicted "), r.out());
        assertTrue(Files.exists(tmp.resolve("saved/model.safetensors")) && Files.exists(tmp.resolve("saved/tokenizer.json")));
        assertTrue(Files.exists(tmp.resolve("run/log_history.jsonl")));
    }

    @Test
    void backendOnnxRuntimePredictsAsTheModelDoesBeforeAndAfterTraining() throws Exception {
        String dir = tmp.toString().replace("\\", "/");
        Scripts.Result r = run("ort.groovy", """
                model 'sentence-transformers/all-MiniLM-L6-v2' < task 'sequence-classification', backend 'onnxruntime' >
                dataset builtin('sentiment-sentences')
                split 0.2
                tokenize('text') < max_length 32 >
                def texts = ['I loved this phone.', 'Terrible, it broke after a day.', 'It is a phone.']
                def same = { a, b -> a*.label == b*.label && [a*.score, b*.score].transpose().every {
                    Math.abs(it[0] - it[1]) < 1e-5 } }
                def before = predict texts
                def served = javaformers.servedModel()
                assert served.modelFile().toFile().length() > 80_000_000 : 'MiniLM in ONNX Runtime'
                backend 'djl'
                assert javaformers.servedModel() == null
                assert same(before, predict(texts))
                train < steps 2, batch 8, output '%1$s/run' >
                backend 'onnxruntime'
                def after = predict texts
                assert javaformers.servedModel() != served : 'a new export'
                assert after*.score != before*.score : 'the export after training has the trained weights'
                backend 'djl'
                assert same(after, predict(texts))
                println "served ${after*.label}"
                """.formatted(dir));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("served ["), r.out());

        Scripts.Result bad = run("bad-backend.groovy", "backend 'tensorflow'\n");
        assertEquals(1, bad.status());
        assertTrue(bad.err().contains("bad-backend.groovy:1: Unknown backend 'tensorflow'"), bad.err());
    }

    @Test
    void errorsNameTheScriptLineWithoutAStack() throws Exception {
        Scripts.Result missing = run("bad.groovy", "model 'sentence-transformers/all-MiniLM-L6-v2'\n\ndataset csv('no-such.csv')\n");
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("bad.groovy:3: No such data file"), missing.err());
        assertFalse(missing.err().contains("\tat "), "no Java stack: " + missing.err());

        Scripts.Result order = run("order.groovy", "println 'start'\ntrain { steps 1 }\n");
        assertTrue(order.err().startsWith("order.groovy:2: No dataset yet"), order.err());

        Scripts.Result syntax = run("syntax.groovy", "println 'a'\nmodel('x') {\n");
        assertEquals(1, syntax.status());
        assertTrue(syntax.err().contains("syntax.groovy") && syntax.err().contains("line 3"), syntax.err());
    }

    /** The README's troubleshooting table, DSL side: each mistake is one line, file:line: first. */
    @Test
    void commonMistakesAreOneLineNamingTheThing() throws Exception {
        Path unknownType = Files.createDirectories(tmp.resolve("unknown-type"));
        Files.writeString(unknownType.resolve("config.json"), "{\"model_type\": \"bertt\"}");
        String model = "model 'sentence-transformers/all-MiniLM-L6-v2'\n";
        String[][] cases = {
            {"no-such-model", "println 1\nmodel 'nobody/no-such-model'\n", "2", "nobody/no-such-model"},
            {"unknown-type", "model '" + unknownType + "'\n", "1", "bertt"},
            {"task", "model 'sentence-transformers/all-MiniLM-L6-v2' < task 'sequence-clasification' >\n", "1",
                "Did you mean 'sequence-classification'?"},
            {"train-setting", model + "dataset builtin('sentiment-sentences')\ntrain < epochz 1 >\n", "3",
                "epochz"},
            {"split-type", model + "dataset builtin('sentiment-sentences')\nsplit 'half'\n", "3", "half"},
            {"plot", model + "plot los\n", "2", "los"},
            {"generate-needs-lm", "model 'sentence-transformers/all-MiniLM-L6-v2'\ngenerate 'x' < max_new_tokns 2 >\n",
                "2", "generate"},
        };
        Scripts.Result missing = Scripts.run(tmp.resolve("no-such-script.groovy"));
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("jf: no such script: ") && missing.err().contains("no-such-script.groovy"),
                missing.err());
        for (String[] c : cases) {
            Scripts.Result r = run(c[0] + ".groovy", c[1]);
            String err = r.err().strip();
            assertEquals(1, r.status(), err);
            assertTrue(err.startsWith(c[0] + ".groovy:" + c[2] + ": "), err);
            assertFalse(err.contains("\n"), "one line: " + err);
            assertTrue(err.contains(c[3]), err);
        }
    }

    @Test
    void designCardBlocksKeepTheUsersLinesInErrors() throws Exception {
        Scripts.Result later = run("lines.groovy", """
                model 'sentence-transformers/all-MiniLM-L6-v2' <
                    task 'sequence-classification',
                    labels ['negative', 'positive']
                >
                List<String> names = ['a']
                if (names.size() < 2 && names.size() > 0) {
                    dataset csv('missing.csv')
                }
                """);
        assertTrue(later.err().startsWith("lines.groovy:7: No such data file"), later.err());

        Scripts.Result unknown = run("unknown.groovy", "println 1\nmodel 'sentence-transformers/all-MiniLM-L6-v2' < hedas 12 >\n");
        assertTrue(unknown.err().startsWith("unknown.groovy:2: ") && unknown.err().contains("no key [hedas]"),
                unknown.err());

        Scripts.Result unclosed = run("unclosed.groovy", "println 1\n\ntrain < epochs 3\nprintln 2\n");
        assertEquals(1, unclosed.status());
        assertTrue(unclosed.err().contains("unclosed.groovy: 3:") && unclosed.err().contains("not closed with '>'"),
                unclosed.err());
    }
}
