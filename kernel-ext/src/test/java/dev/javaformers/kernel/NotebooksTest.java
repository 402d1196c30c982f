package dev.javaformers.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Jupyter (Debian's nbconvert and jupyter-client) executes the notebooks against our kernel. */
class NotebooksTest {

    static final Path NOTEBOOKS = Path.of("../notebooks");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The kernel installed by its own installer into a private prefix; the environment that finds it there. */
    static Map<String, String> kernelspec(Path tmp) throws Exception {
        Path prefix = tmp.resolve("jupyter-prefix");
        KernelInstaller.install(List.of("--prefix", prefix.toString()),
                List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=error"));
        return Map.of("JUPYTER_PATH", prefix.resolve("share/jupyter").toString(), "JUPYTER_DATA_DIR",
                tmp.resolve("data").toString(), "PATH", "/usr/bin:" + System.getenv("PATH"), "HF_HUB_OFFLINE", "1");
    }

    @Test
    void theInstallerRegistersTheKernelWithJupyter() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/jupyter", "kernelspec", "list", "--json");
        pb.environment().putAll(kernelspec(tmp));
        Process p = pb.start();
        JsonNode specs = JSON.readTree(p.getInputStream());
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        JsonNode ours = specs.at("/kernelspecs/javaformers/spec");
        assertEquals("Javaformers (Java)", ours.get("display_name").asText(), specs.toString());
        assertEquals("message", ours.get("interrupt_mode").asText());
        assertTrue(ours.get("argv").toString().contains(KernelMain.class.getName()), ours.toString());
        dev.javaformers.nn.Engines.MALLOC_ENVIRONMENT.forEach((name, value) -> assertEquals(value,
                ours.at("/env/" + name).asText(), "the kernel's " + name));
    }

    private JsonNode execute(String notebook) throws Exception {
        Path out = tmp.resolve("executed-" + notebook);
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", "-m", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.kernel_name=javaformers", "--ExecutePreprocessor.timeout=300",
                "--output", out.toString(), NOTEBOOKS.resolve(notebook).toString());
        pb.environment().putAll(kernelspec(tmp));
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("nbconvert.log").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "nbconvert finished");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("nbconvert.log")));
        return JSON.readTree(out.toFile());
    }

    /** A text field of a notebook: nbformat keeps multi-line text as a list of lines. */
    static String text(JsonNode node) {
        if (node.isArray()) {
            StringBuilder all = new StringBuilder();
            node.forEach(line -> all.append(line.asText()));
            return all.toString();
        }
        return node.asText();
    }

    /** Each code cell's outputs, by MIME type or output type. */
    private static List<List<String>> outputKinds(JsonNode nb) {
        List<List<String>> cells = new ArrayList<>();
        for (JsonNode cell : nb.get("cells")) {
            if (!cell.get("cell_type").asText().equals("code")) {
                continue;
            }
            List<String> kinds = new ArrayList<>();
            for (JsonNode o : cell.get("outputs")) {
                assertTrue(!o.get("output_type").asText().equals("error"), "a cell failed: " + o);
                if (o.has("data")) {
                    o.get("data").fieldNames().forEachRemaining(kinds::add);
                } else {
                    kinds.add(o.get("output_type").asText());
                }
            }
            cells.add(kinds);
        }
        return cells;
    }

    private static void assertHas(List<List<String>> cells, int cell, String mime, String what) {
        assertTrue(cells.get(cell).contains(mime), what + " as " + mime + ", got " + cells.get(cell));
    }

    @Test
    void quickstartRunsWithHtmlTablesAChartAndGroovy() throws Exception {
        JsonNode nb = execute("01-quickstart.ipynb");
        List<List<String>> cells = outputKinds(nb);
        assertHas(cells, 0, "text/html", "BatchEncoding as a token table");
        assertHas(cells, 1, "text/html", "model summary");
        assertHas(cells, 2, "text/html", "dataset table");
        assertHas(cells, 3, "image/png", "chart");
        String summary = text(nb.at("/cells/2/outputs/0/data/text~1html"));
        assertTrue(summary.contains("BertForSequenceClassification") && summary.contains("bert.encoder"), summary);
        assertTrue(text(nb.at("/cells/6/outputs/0/data/text~1plain")).contains("true"),
                "the Groovy cell's value: " + nb.at("/cells/6/outputs"));
    }

    @Test
    void fineTuneShowsALiveDisplayAndTheLossChart() throws Exception {
        JsonNode nb = execute("02-fine-tune.ipynb");
        List<List<String>> cells = outputKinds(nb);
        assertHas(cells, 0, "text/html", "the train split as a table");
        assertHas(cells, 1, "image/png", "label distribution");
        // The live display, updated in place: its last state is the finished run, with the loss chart.
        JsonNode live = null;
        for (JsonNode o : nb.at("/cells/3/outputs")) {
            live = o.get("output_type").asText().equals("display_data") ? o : live;
        }
        assertTrue(live != null, "a display in the training cell: " + nb.at("/cells/3/outputs"));
        assertTrue(text(live.at("/data/text~1html")).contains("[12/12,"), live.toString());
        assertTrue(text(live.at("/data/text~1html")).contains("eval_accuracy"), live.toString());
        assertTrue(text(live.at("/data/image~1png")).length() > 1000, "the loss chart in the live display");
        assertTrue(text(nb.at("/cells/4/outputs/0/data/text~1plain")).contains("eval_accuracy="), "metrics");
        assertHas(cells, 4, "image/png", "loss chart");
        // the fine-tuned model through pipeline(): results and a dataset with its predictions, as HTML tables
        assertHas(cells, 5, "text/html", "pipeline results as a table");
        String results = text(nb.at("/cells/7/outputs/0/data/text~1html"));
        assertTrue(results.contains("<th>label</th>") && results.contains("<th>score</th>"), results);
        String predicted = text(nb.at("/cells/8/outputs/0/data/text~1html"));
        assertTrue(predicted.contains("pred_label") && predicted.contains("pred_score"), predicted);
        String cosines = text(nb.at("/cells/9/outputs/0/data/text~1plain"));
        assertTrue(cosines.matches("(?s).*cosine\\(eating, eating\\) 0\\.[5-9].*stocks\\) (-?0\\.[0-3]).*"), cosines);
    }

    @Test
    void groovyCellsShareTheirStateAndPlotInline() throws Exception {
        JsonNode nb = execute("03-groovy-dsl.ipynb");
        List<List<String>> cells = outputKinds(nb);
        assertHas(cells, 0, "text/html", "the dataset");
        assertHas(cells, 1, "text/html", "the live training display");
        assertHas(cells, 2, "image/png", "plot loss inline");
        assertTrue(text(nb.at("/cells/4/outputs/0/data/text~1plain")).matches("(?s).*label.*(positive|negative).*"),
                nb.at("/cells/4/outputs").toString());
        assertTrue(text(nb.at("/cells/6/outputs/0/data/text~1plain")).matches("0\\.\\d+"),
                "the Groovy metrics seen from Java: " + nb.at("/cells/6/outputs"));
        assertTrue(text(nb.at("/cells/9/outputs/0/data/text~1plain")).matches("positive|negative"),
                "a Java variable used in Groovy: " + nb.at("/cells/9/outputs"));
    }

    @Test
    void aCustomModelWrittenInJavaCellsRegistersLoadsAndTrains() throws Exception {
        JsonNode nb = execute("04-custom-model.ipynb");
        assertTrue(text(nb.at("/cells/2/outputs/0/data/text~1plain")).contains("bag-of-embeddings"),
                nb.at("/cells/2/outputs").toString());
        assertTrue(text(nb.at("/cells/3/outputs/0/data/text~1html")).contains("BagForSequenceClassification"),
                nb.at("/cells/3/outputs").toString());
        JsonNode outputs = nb.at("/cells/4/outputs");
        double accuracy = Double.parseDouble(text(outputs.get(outputs.size() - 1).at("/data/text~1plain")));
        assertTrue(accuracy > 0.7, "the bag of embeddings learns: " + accuracy);
    }

    @Test
    void aSmallGpt2TrainsAndStreamsItsText() throws Exception {
        JsonNode nb = execute("05-text-generation.ipynb");
        List<List<String>> cells = outputKinds(nb);
        assertHas(cells, 0, "text/html", "the grouped blocks");
        assertHas(cells, 1, "text/html", "the model summary");
        JsonNode trained = nb.at("/cells/3/outputs");
        double perplexity = Double.parseDouble(text(trained.get(trained.size() - 1).at("/data/text~1plain")));
        assertTrue(perplexity < 1000, "a vocabulary of 30,522 guessed uniformly is 30,522; trained: " + perplexity);
        StringBuilder streamed = new StringBuilder();
        nb.at("/cells/4/outputs").forEach(o -> streamed.append(o.get("output_type").asText().equals("stream")
                ? text(o.get("text")) : ""));
        String[] lines = streamed.toString().strip().split("\n");
        assertEquals(2, lines.length, streamed.toString());
        assertTrue(lines[0].startsWith("the food was ") && lines[1].startsWith("this phone is "), streamed.toString());
        assertTrue(lines[0].split(" ").length > 3, "words were generated: " + lines[0]);
    }

    @Test
    void aSmallT5TrainsWithSeq2SeqTrainerAndReportsBleuEachEpoch() throws Exception {
        // the notebook's data: sentence pairs and a SentencePiece tokenizer made from Debian packages
        Process fetch = new ProcessBuilder("../scripts/fetch-de-en").redirectErrorStream(true)
                .redirectOutput(tmp.resolve("fetch.log").toFile()).start();
        assertTrue(fetch.waitFor(5, TimeUnit.MINUTES), "fetch-de-en finished");
        assertEquals(0, fetch.exitValue(), Files.readString(tmp.resolve("fetch.log")));
        JsonNode nb = execute("06-seq2seq.ipynb");
        List<List<String>> cells = outputKinds(nb);
        assertHas(cells, 0, "text/html", "the tokenized pairs");
        assertTrue(text(nb.at("/cells/2/outputs/0/data/text~1html")).contains("T5ForConditionalGeneration"),
                nb.at("/cells/2/outputs").toString());
        JsonNode trained = nb.at("/cells/5/outputs");
        String perEpoch = text(trained.get(trained.size() - 1).at("/data/text~1plain"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("eval_loss (\\d+\\.\\d+), BLEU (\\d+\\.\\d+)")
                .matcher(perEpoch);
        List<Double> losses = new ArrayList<>();
        while (m.find()) {
            losses.add(Double.parseDouble(m.group(1)));
            assertTrue(Double.parseDouble(m.group(2)) <= 100, perEpoch);
        }
        assertEquals(EPOCHS_06, losses.size(), "a held-out loss and BLEU per epoch: " + perEpoch);
        for (int i = 1; i < losses.size(); i++) {
            assertTrue(losses.get(i) < losses.get(i - 1), "the held-out loss falls every epoch: " + perEpoch);
        }
        assertTrue(losses.get(0) < Math.log(4000), "below a uniform guess over the 4000 pieces: " + perEpoch);
        assertHas(cells, 4, "image/png", "the loss chart");
        assertHas(cells, 5, "image/png", "the BLEU chart");
        StringBuilder printed = new StringBuilder();
        nb.at("/cells/9/outputs").forEach(o -> printed.append(o.get("output_type").asText().equals("stream")
                ? text(o.get("text")) : ""));
        assertEquals(9, printed.toString().split("\n").length, "three examples: " + printed);
    }

    @Test
    void sparkRunsFromTheKernelInJavaAndGroovyCells() throws Exception {
        JsonNode nb = execute("07-spark.ipynb");
        List<List<String>> cells = outputKinds(nb);
        for (int cell = 0; cell < 3; cell++) {
            assertHas(cells, cell, "text/html", "a preview of a DataFrame as a table");
        }
        assertTrue(text(nb.at("/cells/2/outputs/0/data/text~1html")).contains("384 numbers"),
                "MiniLM's embeddings: " + nb.at("/cells/2/outputs"));
        String scored = text(nb.at("/cells/3/outputs/0/data/text~1html"));
        assertTrue(scored.contains("pred_label") && scored.contains("pred_error") && scored.contains("positive")
                || scored.contains("negative"), scored);
        assertTrue(text(nb.at("/cells/4/outputs/0/data/text~1plain")).contains("100 rows, columns [text, label, "
                + "source, p_label, p_score, p_error]"), nb.at("/cells/4/outputs").toString());
    }

    /** The number of epochs 06-seq2seq.ipynb trains. */
    static final int EPOCHS_06 = 3;
}
