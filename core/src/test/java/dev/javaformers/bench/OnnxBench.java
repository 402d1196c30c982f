package dev.javaformers.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.models.AutoModel;
import dev.javaformers.models.bert.BertConfig;
import dev.javaformers.models.bert.BertModel;
import dev.javaformers.onnx.OrtModelForFeatureExtraction;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ONNX issue's benchmark: a forward pass of a bert-base-sized model (random weights) and of the bundled
 * all-MiniLM-L6-v2, in DJL (PyTorch) and in ONNX Runtime on the model's own export, at batch 8 x 128 and
 * 1 x 16 tokens; medians and the DJL / ONNX Runtime ratio. The two engines alternate within each run, so that
 * the machine's noise falls on both. Run with {@code scripts/bench onnx [runs]}.
 */
public final class OnnxBench {

    private static final int[][] SHAPES = {{8, 128}, {1, 16}};

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        System.out.printf("DJL %s (PyTorch, %d threads) vs ONNX Runtime (all optimisations, all cores); median of %d "
                + "runs, engines alternating%n", ai.djl.engine.Engine.getInstance().getVersion(),
                Runtime.getRuntime().availableProcessors(), runs);
        BertConfig base = (BertConfig) AutoConfig.forModel("bert", Map.of());
        try (BertModel model = (BertModel) AutoModel.fromConfig(base)) {
            bench("bert-base (110M, random weights)", model, base.vocabSize, runs);
        }
        Map<String, Object> kwargs = new LinkedHashMap<>(Map.of("local_files_only", true)); // the bundled copy
        try (BertModel model = (BertModel) AutoModel.fromPretrained("sentence-transformers/all-MiniLM-L6-v2",
                kwargs)) {
            bench("all-MiniLM-L6-v2 (22M, bundled)", model, ((BertConfig) model.config()).vocabSize, runs);
        }
    }

    private static void bench(String name, BertModel model, int vocab, int runs) throws Exception {
        model.eval();
        try (OrtModelForFeatureExtraction ort = OrtModelForFeatureExtraction.fromModel(model);
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            for (int[] shape : SHAPES) {
                NDArray ids = manager.randomInteger(0, vocab, new Shape(shape[0], shape[1]), DataType.INT64);
                NDArray mask = manager.ones(new Shape(shape[0], shape[1]), DataType.INT64);
                NDArray types = manager.zeros(new Shape(shape[0], shape[1]), DataType.INT64);
                Map<String, NDArray> inputs = Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types);
                int inner = shape[0] * shape[1] < 1000 ? 20 : 1; // small batches: time 20 calls at once
                double[] djl = new double[runs];
                double[] onnx = new double[runs];
                for (int r = -1; r < runs; r++) { // run -1 warms both up
                    double d = time(inner, () -> {
                        try (NDManager scope = manager.newSubManager()) {
                            ids.tempAttach(scope);
                            mask.tempAttach(scope);
                            model.forward(ids, mask, types).lastHiddenState().toFloatArray();
                        }
                    });
                    double o = time(inner, () -> {
                        try (NDManager scope = manager.newSubManager()) {
                            ids.tempAttach(scope);
                            ort.run(inputs).get("last_hidden_state").toFloatArray();
                        }
                    });
                    if (r >= 0) {
                        djl[r] = d;
                        onnx[r] = o;
                    }
                }
                double dj = median(djl);
                double on = median(onnx);
                System.out.printf("%-34s batch %d x %3d: DJL %8.2f ms   ONNX Runtime %8.2f ms   DJL / ORT %.2fx%n",
                        name, shape[0], shape[1], dj * 1e3, on * 1e3, dj / on);
            }
        }
    }

    private static double time(int inner, Bench.Body body) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < inner; i++) {
            body.run();
        }
        return (System.nanoTime() - start) / 1e9 / inner;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
