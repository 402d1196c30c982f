package dev.javaformers.onnx;

import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code scripts/jf export --model PATH_OR_NAME [--task TASK] [--opset N] [--atol X] [--external-data] OUT_DIR}, as
 * {@code python -m transformers.onnx}: loads the model for the task, writes {@code OUT_DIR/model.onnx}, validates
 * it in ONNX Runtime, and saves config.json and the tokenizer beside it, so that the folder serves as it is.
 */
public final class OnnxExportCli {

    private OnnxExportCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String model = null;
        String task = "default";
        Integer opset = null;
        Double atol = null;
        boolean external = false;
        String output = null;
        Map<String, Object> kwargs = new LinkedHashMap<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--model", "-m" -> model = value(args, ++i, "--model");
                    case "--task", "--feature" -> task = value(args, ++i, "--task");
                    case "--opset" -> opset = Integer.parseInt(value(args, ++i, "--opset"));
                    case "--atol" -> atol = Double.parseDouble(value(args, ++i, "--atol"));
                    case "--external-data" -> external = true;
                    case "--cache-dir" -> kwargs.put("cache_dir", value(args, ++i, "--cache-dir"));
                    case "--revision" -> kwargs.put("revision", value(args, ++i, "--revision"));
                    case "--local-files-only" -> kwargs.put("local_files_only", true);
                    case "-h", "--help" -> {
                        usage(out);
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("-") || output != null) {
                            throw new IllegalArgumentException("Unexpected argument '" + args[i] + "'");
                        }
                        output = args[i];
                    }
                }
            }
            if (model == null || output == null) {
                throw new IllegalArgumentException(model == null ? "--model is required" : "the output folder is "
                        + "required");
            }
        } catch (NumberFormatException e) {
            err.println("jf export: not a number: " + e.getMessage());
            usage(err);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("jf export: " + e.getMessage());
            usage(err);
            return 2;
        }
        try {
            export(model, task, opset, atol, external, Path.of(output), kwargs, out);
            return 0;
        } catch (RuntimeException e) {
            err.println("jf export: " + e.getMessage());
            return 1;
        }
    }

    private static void export(String name, String taskName, Integer opset, Double atol, boolean external, Path dir,
            Map<String, Object> kwargs, PrintStream out) {
        String task = OnnxConfig.taskName(taskName);
        Task modelTask = task.equals("default") ? Task.BASE : Task.of(task);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("The output " + dir + " is a file; name a folder");
        }
        try (PreTrainedModel<?> model = ModelFactory.forTask(modelTask).fromPretrained(name, kwargs)) {
            OnnxConfig onnxConfig = OnnxConfig.forConfig(model.config(), task);
            int useOpset = opset != null ? opset : onnxConfig.defaultOnnxOpset();
            double useAtol = atol != null ? atol : onnxConfig.atolForValidation();
            out.println("Using framework Javaformers (DJL PyTorch) and ONNX opset " + useOpset + ": "
                    + model.getClass().getSimpleName() + " as " + onnxConfig);
            Path file = dir.resolve(OrtModel.ONNX_FILE);
            var exported = OnnxExport.export(model, onnxConfig, file, useOpset, external);
            out.println("Validating ONNX model " + file + " in ONNX Runtime...");
            OnnxExport.validateModelOutputs(onnxConfig, model, file, useAtol);
            out.println("\t-[✓] ONNX model output names match reference model " + exported.outputs());
            out.println("\t-[✓] all values close (atol: " + useAtol + ") at batch 3, sequence 11");
            model.config().save(dir);
            PreTrainedTokenizer tokenizer = tokenizer(name, kwargs);
            if (tokenizer != null) {
                tokenizer.save(dir);
            }
            out.println("All good, model saved at: " + file + (tokenizer == null ? " (no tokenizer found)" : ""));
        }
    }

    /** The checkpoint's tokenizer, or null when it has none (a bare model folder). */
    private static PreTrainedTokenizer tokenizer(String name, Map<String, Object> kwargs) {
        try {
            return AutoTokenizer.fromPretrained(name, kwargs);
        } catch (RuntimeException noTokenizer) {
            return null;
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static void usage(PrintStream s) {
        s.println("usage: jf export --model PATH_OR_NAME [--task " + String.join("|", OnnxConfig.TASKS)
                + "] [--opset N] [--atol X] [--external-data] [--cache-dir DIR] [--revision REV] "
                + "[--local-files-only] OUT_DIR");
    }
}
