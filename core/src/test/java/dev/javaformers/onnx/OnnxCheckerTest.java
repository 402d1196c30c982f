package dev.javaformers.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported files judged by the ONNX project's own checker (Debian's python3-onnx 1.12, which scripts/setup
 * installs): {@code onnx.checker.check_model(full_check=True)}, which also runs strict shape inference.
 */
class OnnxCheckerTest {

    static final String CHECK = """
            import sys, onnx
            for path in sys.argv[1:]:
                onnx.checker.check_model(path, full_check=True)
                m = onnx.load(path, load_external_data=False)
                dims = [[d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in m.graph.input]
                print("ok", m.ir_version, m.opset_import[0].version, [i.name for i in m.graph.input], dims)
            """;

    @TempDir
    Path dir;

    @Test
    void theOnnxCheckerAcceptsEveryKindOfExport() throws Exception {
        List<String> files = new ArrayList<>();
        record Case(String family, Task task, int opset, boolean external) {}
        for (Case c : List.of(new Case("bert", Task.MULTIPLE_CHOICE, 11, false),
                new Case("roberta", Task.QUESTION_ANSWERING, 17, false),
                new Case("distilbert", Task.MASKED_LM, 14, true),
                new Case("bert", Task.BASE, 13, false),
                new Case("gpt2", Task.CAUSAL_LM, 13, false),
                new Case("mistral", Task.CAUSAL_LM, 14, false))) {
            try (PreTrainedModel<?> model = OnnxExportTest.tiny(c.family(), c.task())) {
                Path file = dir.resolve(c.family() + "-" + c.task() + "/model.onnx");
                OnnxExport.export(model, OnnxConfig.forModel(model), file, c.opset(), c.external());
                files.add(file.toString());
            }
        }
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", CHECK));
        command.addAll(files);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("ok ")).toList();
        assertEquals(6, lines.size(), out);
        assertTrue(lines.get(0).startsWith("ok 6 11 ['input_ids', 'attention_mask', 'token_type_ids'] "
                + "[['batch', 'choice', 'sequence']"), lines.get(0));
        assertTrue(lines.get(1).startsWith("ok 8 17 ['input_ids', 'attention_mask'] [['batch', 'sequence']"),
                lines.get(1));
        assertTrue(lines.get(2).startsWith("ok 7 14 "), lines.get(2));
    }
}
