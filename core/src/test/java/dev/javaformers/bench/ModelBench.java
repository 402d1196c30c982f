package dev.javaformers.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.models.AutoModel;
import dev.javaformers.models.bert.BertConfig;
import dev.javaformers.models.bert.BertModel;
import dev.javaformers.weights.HostTensor;
import dev.javaformers.weights.Safetensors;
import dev.javaformers.weights.StateDict;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The models issue's benchmark: a bert-base forward pass (random weights, batch 8 x 128) against the sum of the
 * same matmuls done alone in DJL, and loading a bert-base model.safetensors (about 440 MB) against reading its
 * bytes. Run with {@code scripts/bench models}.
 */
public final class ModelBench {

    private static final int BATCH = 8;
    private static final int TOKENS = 128;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        BertConfig config = (BertConfig) AutoConfig.forModel("bert", Map.of());
        System.out.printf("bert-base: %d layers, hidden %d, heads %d, intermediate %d; batch %d x %d tokens; "
                + "median of %d runs%n", config.numHiddenLayers, config.hiddenSize, config.numAttentionHeads,
                config.intermediateSize, BATCH, TOKENS, runs);
        Path dir = Files.createTempDirectory("bench-bert-base");
        try (BertModel model = (BertModel) AutoModel.fromConfig(config);
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray ids = manager.randomInteger(0, config.vocabSize, new Shape(BATCH, TOKENS), DataType.INT64);
            NDArray mask = manager.ones(new Shape(BATCH, TOKENS), DataType.INT64);
            double forward = Bench.median(1, runs, () -> {
                try (NDManager scope = manager.newSubManager()) {
                    ids.tempAttach(scope);
                    model.forward(ids, mask, null).lastHiddenState().toFloatArray();
                }
            });
            double floor = matmulFloor(manager, config, runs);
            System.out.printf("forward pass:   %.3f s per batch (%.1f sequences/s)%n", forward, BATCH / forward);
            System.out.printf("matmuls alone:  %.3f s per batch%n", floor);
            System.out.printf("ratio forward / matmul floor: %.2fx (goal <= 1.3x)%n", forward / floor);
            model.save(dir);
        }
        Path file = dir.resolve("model.safetensors");
        System.out.printf("%nmodel.safetensors: %.0f MB%n", Files.size(file) / 1e6);
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Files.size(file)); // allocated once, outside the timing
        double readBytes = Bench.median(1, runs, () -> {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                buffer.clear();
                while (buffer.hasRemaining() && ch.read(buffer) >= 0) {
                    // read it all
                }
            }
        });
        double toArrays = Bench.median(1, runs, () -> {
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                StateDict dict = Safetensors.read(file);
                for (HostTensor t : dict.tensors().values()) {
                    t.toNDArray(manager); // as from_pretrained does: one copy, by the engine
                }
            }
        });
        double fromPretrained = Bench.median(1, runs, () -> AutoModel.fromPretrained(dir.toString()).close());
        System.out.printf("read the bytes:            %.3f s%n", readBytes);
        System.out.printf("safetensors -> NDArrays:   %.3f s (%.2fx reading the bytes)%n", toArrays, toArrays / readBytes);
        System.out.printf("AutoModel.fromPretrained:  %.3f s (%.2fx reading the bytes)%n", fromPretrained,
                fromPretrained / readBytes);
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** The model's matmuls, each on arrays made beforehand: the compute floor of a forward pass. */
    static double matmulFloor(NDManager manager, BertConfig c, int runs) throws Exception {
        return matmulFloor(manager, c, runs, BATCH, TOKENS);
    }

    /** The same at another batch size and length. */
    static double matmulFloor(NDManager manager, BertConfig c, int runs, int batch, int tokens) throws Exception {
        int rows = batch * tokens;
        int h = c.hiddenSize;
        int heads = c.numAttentionHeads;
        int size = h / heads;
        NDArray x = manager.randomNormal(new Shape(rows, h));
        NDArray xi = manager.randomNormal(new Shape(rows, c.intermediateSize));
        NDArray wh = manager.randomNormal(new Shape(h, h));
        NDArray wUp = manager.randomNormal(new Shape(h, c.intermediateSize));
        NDArray wDown = manager.randomNormal(new Shape(c.intermediateSize, h));
        NDArray q = manager.randomNormal(new Shape(batch, heads, tokens, size));
        NDArray kT = manager.randomNormal(new Shape(batch, heads, size, tokens));
        NDArray probs = manager.randomNormal(new Shape(batch, heads, tokens, tokens));
        NDArray v = manager.randomNormal(new Shape(batch, heads, tokens, size));
        // each product is freed at once, so the floor pays for no memory growth the model might avoid
        return Bench.median(1, runs, () -> {
            for (int layer = 0; layer < c.numHiddenLayers; layer++) {
                for (int i = 0; i < 4; i++) { // query, key, value, attention output
                    x.matMul(wh).close();
                }
                q.matMul(kT).close();
                probs.matMul(v).close();
                x.matMul(wUp).close();
                xi.matMul(wDown).close();
            }
        });
    }

    /**
     * The matmuls of a training step, forward and backward, each on arrays made beforehand and with the operand
     * layouts autograd uses: per linear layer y = x W^T, then dx = dy W and dW = dy^T x; per attention product
     * both operands' gradients. The compute floor of forward + backward.
     */
    static double trainingMatmulFloor(NDManager manager, BertConfig c, int runs, int batch, int tokens)
            throws Exception {
        int rows = batch * tokens;
        int h = c.hiddenSize;
        int heads = c.numAttentionHeads;
        int size = h / heads;
        int inter = c.intermediateSize;
        NDArray x = manager.randomNormal(new Shape(rows, h));
        NDArray xi = manager.randomNormal(new Shape(rows, inter));
        NDArray w = manager.randomNormal(new Shape(h, h));
        NDArray wUp = manager.randomNormal(new Shape(inter, h)); // [out, in], as nn.Linear keeps it
        NDArray wDown = manager.randomNormal(new Shape(h, inter));
        NDArray q = manager.randomNormal(new Shape(batch * heads, tokens, size));
        NDArray k = manager.randomNormal(new Shape(batch * heads, tokens, size));
        NDArray p = manager.randomNormal(new Shape(batch * heads, tokens, tokens));
        return Bench.median(1, runs, () -> {
            for (int layer = 0; layer < c.numHiddenLayers; layer++) {
                for (int i = 0; i < 4; i++) { // query, key, value, attention output: y = x W^T, dx, dW
                    x.matMul(w.transpose()).close();
                    x.matMul(w).close();
                    x.transpose().matMul(x).close();
                }
                x.matMul(wUp.transpose()).close(); // up: [rows, h] -> [rows, inter]
                xi.matMul(wUp).close(); // dx = dy W
                xi.transpose().matMul(x).close(); // dW = dy^T x
                xi.matMul(wDown.transpose()).close(); // down: [rows, inter] -> [rows, h]
                x.matMul(wDown).close();
                x.transpose().matMul(xi).close();
                q.matMul(k.transpose(0, 2, 1)).close(); // scores, and their two gradients
                p.matMul(k).close();
                p.transpose(0, 2, 1).matMul(q).close();
                p.matMul(k).close(); // context = probs v, and its two gradients
                q.matMul(k.transpose(0, 2, 1)).close();
                p.transpose(0, 2, 1).matMul(q).close();
            }
        });
    }
}
