package dev.javaformers.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.models.AutoModel;
import dev.javaformers.models.AutoModelForSequenceClassification;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.bert.BertConfig;
import dev.javaformers.nn.Engines;
import dev.javaformers.train.AdamW;
import dev.javaformers.util.PyJson;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The speed issue's benchmark, {@code scripts/bench vs-python [runs]}: the same three configurations as
 * {@code scripts/reference/bench_vs_python.py} (whose results are the second argument), each against its matmul
 * floor and against PyTorch: a bert-base training step (batch 8 x 128: forward with labels, backward, clipping,
 * AdamW, zero_grad), the same model's eval forward, and a MiniLM-sized forward at batch 1 x 16 tokens.
 */
public final class VsPythonBench {

    private static final int BATCH = 8;
    private static final int TOKENS = 128;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        JsonNode py = args.length > 1 ? PyJson.read(Path.of(args[1])) : null;
        BertConfig config = (BertConfig) AutoConfig.forModel("bert", Map.of("num_labels", 2));
        double train;
        double eval;
        double small;
        double trainFloor;
        double evalFloor;
        // the batch-1 forward first, before bert-base's 1.7 GB of weights, gradients and moments exist
        BertConfig miniLm = (BertConfig) AutoConfig.forModel("bert", Map.of("num_hidden_layers", 6, "hidden_size",
                384, "num_attention_heads", 12, "intermediate_size", 1536));
        try (NDManager manager = Engines.newManager(ai.djl.Device.cpu());
                PreTrainedModel<?> model = AutoModel.fromConfig(miniLm)) {
            model.eval();
            NDArray ids = manager.randomInteger(1000, 20000, new Shape(1, 16), DataType.INT64);
            NDArray mask = manager.ones(new Shape(1, 16), DataType.INT64);
            small = Bench.median(50, runs * 20, () -> { // many warm-ups: the JIT compiles the Java side of 200 ops
                try (NDManager scope = manager.newSubManager()) {
                    model.forward(inputs(scope, ids, mask, null)).asMap().get("last_hidden_state").sum().getFloat();
                }
            });
        }

        try (NDManager manager = Engines.newManager(ai.djl.Device.cpu());
                PreTrainedModel<?> model = AutoModelForSequenceClassification.fromConfig(config)) {
            NDArray ids = manager.randomInteger(1000, 20000, new Shape(BATCH, TOKENS), DataType.INT64);
            NDArray mask = manager.ones(new Shape(BATCH, TOKENS), DataType.INT64);
            NDArray labels = manager.create(new long[] {0, 1, 0, 1, 0, 1, 0, 1});
            model.namedParameters().values().forEach(p -> p.array().setRequiresGradient(true));
            AdamW optimizer = new AdamW(model, 0.9, 0.999, 1e-8, 0.01);
            train = Bench.median(1, runs, () -> {
                model.train();
                try (NDManager scope = manager.newSubManager()) {
                    Map<String, NDArray> inputs = inputs(scope, ids, mask, labels);
                    try (GradientCollector collector = Engines.engine().newGradientCollector()) {
                        collector.backward(model.forward(inputs).loss());
                    }
                }
                optimizer.clipGradNorm(1.0);
                optimizer.step(5e-5);
                optimizer.zeroGrad();
            });
            eval = Bench.median(1, runs, () -> {
                model.eval();
                try (NDManager scope = manager.newSubManager()) {
                    model.forward(inputs(scope, ids, mask, null)).logits().sum().getFloat();
                }
            });
            trainFloor = ModelBench.trainingMatmulFloor(manager, config, runs, BATCH, TOKENS);
            evalFloor = ModelBench.matmulFloor(manager, config, runs, BATCH, TOKENS);
        }
        System.out.printf("median of %d runs (the batch-1 forward: %d), %s threads; PyTorch: %s%n", runs, runs * 20,
                System.getProperty("ai.djl.pytorch.num_threads", "all"), py == null ? "not run" : py.get("torch").asText()
                + " (transformers " + py.get("transformers").asText() + ", " + py.get("threads").asInt()
                + " threads, BLAS " + blas(py) + ")");
        System.out.println("Java: libtorch 2.7.1 from DJL's jar (MKL inside)");
        row("bert-base training step, batch 8 x 128", train, trainFloor, "forward+backward matmuls", 1.3,
                py == null ? Double.NaN : py.get("train").asDouble());
        row("bert-base eval forward, batch 8 x 128", eval, evalFloor, "forward matmuls", 1.1,
                py == null ? Double.NaN : py.get("eval").asDouble());
        row("MiniLM-sized forward, batch 1 x 16", small, Double.NaN, null, Double.NaN,
                py == null ? Double.NaN : py.get("small").asDouble());
    }

    private static Map<String, NDArray> inputs(NDManager scope, NDArray ids, NDArray mask, NDArray labels) {
        Map<String, NDArray> in = new LinkedHashMap<>();
        in.put("input_ids", ids);
        in.put("attention_mask", mask);
        if (labels != null) {
            in.put("labels", labels);
        }
        return Bench.copiesIn(scope, in);
    }

    private static void row(String what, double java, double floor, String floorName, double goal, double py) {
        StringBuilder line = new StringBuilder(String.format("%-40s Java %8.4f s", what, java));
        if (!Double.isNaN(floor)) {
            line.append(String.format("; %s %.3f s: %.2fx the floor (goal %.1fx)", floorName, floor, java / floor,
                    goal));
        }
        if (!Double.isNaN(py)) {
            line.append(String.format("; PyTorch %.4f s: Java takes %.2fx its time", py, java / py));
        }
        System.out.println(line);
    }

    private static String blas(JsonNode py) {
        StringBuilder out = new StringBuilder();
        py.get("blas").forEach(n -> out.append(out.length() == 0 ? "" : ",").append(Path.of(n.asText())
                .getFileName()));
        String all = out.toString();
        return py.get("blas").toString().contains("/blas/libblas") ? all + " = netlib reference BLAS" : all;
    }
}
