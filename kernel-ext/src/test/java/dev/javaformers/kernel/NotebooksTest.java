package dev.javaformers.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /** A kernelspec in a private Jupyter path, started with this test's class path. */
    private Map<String, String> kernelspec() throws Exception {
        Path spec = tmp.resolve("jupyter/kernels/javaformers");
        Files.createDirectories(spec);
        ObjectNode kernel = JSON.createObjectNode();
        ArrayNode argv = kernel.putArray("argv");
        List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", System.getProperty("java.class.path"),
                KernelMain.class.getName(), "{connection_file}").forEach(argv::add);
        kernel.put("display_name", "Javaformers (Java)").put("language", "java").put("interrupt_mode", "message");
        Files.writeString(spec.resolve("kernel.json"), JSON.writeValueAsString(kernel));
        return Map.of("JUPYTER_PATH", tmp.resolve("jupyter").toString(), "JUPYTER_DATA_DIR", tmp.resolve("data")
                .toString(), "PATH", "/usr/bin:" + System.getenv("PATH"), "HF_HUB_OFFLINE", "1");
    }

    private JsonNode execute(String notebook) throws Exception {
        Path out = tmp.resolve("executed-" + notebook);
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", "-m", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.kernel_name=javaformers", "--ExecutePreprocessor.timeout=300",
                "--output", out.toString(), NOTEBOOKS.resolve(notebook).toString());
        pb.environment().putAll(kernelspec());
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("nbconvert.log").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "nbconvert finished");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("nbconvert.log")));
        return JSON.readTree(out.toFile());
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

    @Test
    void quickstartRunsWithHtmlTablesAChartAndGroovy() throws Exception {
        JsonNode nb = execute("01-quickstart.ipynb");
        List<List<String>> cells = outputKinds(nb);
        assertTrue(cells.get(0).contains("text/html"), "BatchEncoding as a token table: " + cells.get(0));
        assertTrue(cells.get(1).contains("text/html"), "model summary: " + cells.get(1));
        assertTrue(cells.get(2).contains("text/html"), "dataset table: " + cells.get(2));
        assertTrue(cells.get(3).contains("image/png"), "chart: " + cells.get(3));
        String summary = nb.at("/cells/2/outputs/0/data/text~1html").toString();
        assertTrue(summary.contains("BertForSequenceClassification") && summary.contains("bert.encoder"), summary);
        assertTrue(nb.at("/cells/6/outputs/0/data/text~1plain").toString().contains("true"),
                "the Groovy cell's value: " + nb.at("/cells/6/outputs"));
    }
}
