package dev.javaformers.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel over the real Jupyter protocol (jupyter_client): values, completion, inspection, errors, interrupt. */
class KernelProtocolTest {

    @TempDir
    Path tmp;

    @Test
    void answersAsAJupyterKernel() throws Exception {
        Path script = tmp.resolve("protocol_check.py");
        try (var in = KernelProtocolTest.class.getResourceAsStream("/protocol_check.py")) {
            Files.copy(in, script);
        }
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString());
        pb.environment().putAll(NotebooksTest.kernelspec(tmp));
        pb.redirectError(tmp.resolve("stderr.log").toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out + Files.readString(tmp.resolve("stderr.log")));
        JsonNode r = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());

        assertEquals("Java", r.get("kernel_info").asText());
        assertEquals("[\"42\"]", r.get("value").toString(), "a variable kept from the previous cell");
        assertTrue(r.get("complete").toString().contains("AutoTokenizer"), r.get("complete").toString());
        assertTrue(r.get("inspect_found").asBoolean() && r.get("inspect_text").asText().contains("fromPretrained"),
                r.toString());
        assertEquals("incomplete", r.get("is_complete_open").asText());
        assertEquals("complete", r.get("is_complete_done").asText());

        JsonNode ex = r.get("exception");
        assertEquals("error", ex.get("status").asText());
        String trace = ex.get("traceback").asText();
        assertTrue(trace.contains("IllegalStateException: bad state") && trace.contains("Caused by")
                && trace.contains("root cause"), trace);
        assertTrue(trace.contains("at the cell, line 1"), trace);
        assertTrue(!trace.contains("dev.javaformers.kernel"), "no kernel frames: " + trace);

        String compile = r.at("/compile_error/traceback").asText();
        assertTrue(compile.contains("line 2: incompatible types"), compile);

        assertEquals("error", r.at("/interrupt/status").asText(), r.toString());
        assertTrue(r.at("/interrupt/seconds").asDouble() < 30, r.toString());
        assertEquals("[\"82\"]", r.get("after_interrupt").toString(), "the kernel lives on after an interrupt");

        assertTrue(r.get("time").toString().contains("Wall time: "), r.toString());
        assertEquals("[\"42\"]", r.get("load").toString(), "%load ran the file's code");
        assertEquals("[\"Hello World\"]", r.get("maven").toString(), "%maven put commons-text on the class path");
        assertEquals(List.of("printed\n"), List.of(r.at("/stream/0").asText()));
        assertTrue(r.get("display").toString().contains("Charts"), r.toString());

        // the README's troubleshooting table, notebook side: the first line shown names the mistake
        JsonNode mistakes = r.get("mistakes");
        String[][] expected = {{"load", "%load: no such file: /no/such/cells.jsh"},
            {"classpath", "%classpath: no such jar or folder: /no/such/lib.jar"},
            {"maven", "%maven: 'commons-text' is not group:artifact:version"},
            {"unknown_magic", "Unknown line magic %nosuchmagic."},
            {"groovy", "line 2: BertConfig loaded from sentence-transformers/all-MiniLM-L6-v2 has no key [hedas]"},
            {"java", "java.lang.IllegalArgumentException: BertConfig has no key [num_haeds]."}};
        for (String[] e : expected) {
            JsonNode m = mistakes.get(e[0]);
            assertEquals("error", m.get("status").asText(), e[0]);
            String first = m.get("shown").asText().lines().findFirst().orElse("").replaceAll("\u001b\\[[0-9;]*m", "");
            assertTrue(first.startsWith(e[1]), e[0] + ": " + first);
            assertTrue(!m.get("shown").asText().contains("dev.javaformers.kernel"), "no kernel frames: " + m);
        }
        // Generated text reaches the cell piece by piece while the cell runs, and adds up to what it returns.
        JsonNode streamed = r.get("streamed");
        StringBuilder text = new StringBuilder();
        streamed.get("pieces").forEach(piece -> text.append(piece.asText()));
        assertEquals(text.toString().stripTrailing(), streamed.at("/value/0").asText().replaceAll("^\"|\"$", ""),
                streamed.toString());
        assertTrue(streamed.get("pieces").size() >= 3, streamed.toString());
        assertTrue(streamed.at("/seconds_before_idle/0").asDouble() >= 0.9, "the first piece came well before the "
                + "cell ended: " + streamed);
    }
}
