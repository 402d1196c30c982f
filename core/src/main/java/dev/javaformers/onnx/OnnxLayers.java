package dev.javaformers.onnx;

import dev.javaformers.nn.Layers;
import java.util.Map;

/**
 * The layers of {@link Layers} and the steps of transformer attention as ONNX nodes, in the patterns PyTorch's
 * exporter writes (so ONNX Runtime's fusions recognise them), for every opset from {@link OnnxGraph#MIN_OPSET}.
 */
public final class OnnxLayers {

    private OnnxLayers() {}

    /** {@code x W^T + b}: the weight stays [out, in] under its own name, transposed by a node ONNX Runtime folds. */
    public static String linear(OnnxGraph g, Layers.Linear linear, String x) {
        String product = g.op("MatMul", x, g.op("Transpose", g.parameter(linear.weight)));
        return linear.bias == null ? product : g.op("Add", product, g.parameter(linear.bias));
    }

    /** {@code x @ weight^T + bias} for a head tied to an embedding matrix. */
    public static String tiedLinear(OnnxGraph g, dev.javaformers.nn.Parameter weight,
            dev.javaformers.nn.Parameter bias, String x) {
        return g.op("Add", g.op("MatMul", x, g.op("Transpose", g.parameter(weight))), g.parameter(bias));
    }

    /** Layer normalisation over the last axis: LayerNormalization from opset 17, its decomposition before. */
    public static String layerNorm(OnnxGraph g, Layers.LayerNorm norm, String x) {
        String weight = g.parameter(norm.weight);
        String bias = g.parameter(norm.bias);
        if (g.opset() >= 17) {
            return g.op("LayerNormalization", Map.of("axis", -1L, "epsilon", norm.eps()), x, weight, bias);
        }
        String centered = g.op("Sub", x, reduceMeanLast(g, x));
        String variance = reduceMeanLast(g, g.op("Pow", centered, g.scalar(2f)));
        String std = g.op("Sqrt", g.op("Add", variance, g.scalar(norm.eps())));
        return g.op("Add", g.op("Mul", g.op("Div", centered, std), weight), bias);
    }

    /** The mean over the last axis, kept: axes an attribute before opset 18, an input from it. */
    public static String reduceMeanLast(OnnxGraph g, String x) {
        return g.opset() >= 18 ? g.op("ReduceMean", Map.of("keepdims", 1L), x, g.constant(-1))
                : g.op("ReduceMean", Map.of("axes", new long[] {-1}, "keepdims", 1L), x);
    }

    /** Rows of an embedding table: Gather. */
    public static String embedding(OnnxGraph g, Layers.Embedding embedding, String ids) {
        return g.op("Gather", g.parameter(embedding.weight), ids);
    }

    /** The first {@code length} rows of an embedding table ({@code length} a 1-D tensor of one value). */
    public static String firstRows(OnnxGraph g, Layers.Embedding embedding, String length) {
        return g.op("Slice", g.parameter(embedding.weight), g.constant(0), length, g.constant(0));
    }

    /** The activation a config names, as {@link Layers#activation} computes it. */
    public static String activation(OnnxGraph g, String name, String x) {
        return switch (name) {
            case "gelu" -> g.op("Mul", g.op("Mul", x, g.op("Add", g.op("Erf", g.op("Div", x,
                    g.scalar((float) Math.sqrt(2)))), g.scalar(1f))), g.scalar(0.5f));
            case "relu" -> g.op("Relu", x);
            case "tanh" -> g.op("Tanh", x);
            case "silu", "swish" -> g.op("Mul", x, g.op("Sigmoid", x));
            case "gelu_new", "gelu_pytorch_tanh" -> {
                String inner = g.op("Mul", g.op("Add", x, g.op("Mul", g.op("Pow", x, g.scalar(3f)),
                        g.scalar(0.044715f))), g.scalar((float) Math.sqrt(2 / Math.PI)));
                yield g.op("Mul", g.op("Mul", x, g.scalar(0.5f)), g.op("Add", g.op("Tanh", inner), g.scalar(1f)));
            }
            default -> throw new IllegalArgumentException("Unsupported activation '" + name
                    + "' for ONNX export; supported: gelu, relu, tanh, silu, gelu_new");
        };
    }

    /** Unsqueeze: axes as an attribute before opset 13, as an input from it. */
    public static String unsqueeze(OnnxGraph g, String x, long... axes) {
        return g.opset() >= 13 ? g.op("Unsqueeze", x, g.constant(axes))
                : g.op("Unsqueeze", Map.of("axes", axes), x);
    }

    /** Dimension {@code axis} of {@code x}'s shape, as a 1-D tensor of one value. */
    public static String dim(OnnxGraph g, String x, int axis) {
        return g.op("Slice", g.op("Shape", x), g.constant(axis), g.constant(axis + 1), g.constant(0));
    }

    /** transformers' extended attention mask: [batch, tokens] of 1/0 to [batch, 1, 1, tokens] of 0/lowest. */
    public static String additiveMask(OnnxGraph g, String attentionMask) {
        String keep = g.op("Cast", Map.of("to", (long) OnnxGraph.FLOAT), attentionMask);
        String masked = g.op("Mul", g.op("Sub", g.scalar(1f), keep), g.scalar(-Float.MAX_VALUE));
        return unsqueeze(g, masked, 1, 2);
    }

    /** [batch, tokens, heads*size] to [batch, heads, tokens, size]. */
    public static String splitHeads(OnnxGraph g, String x, int heads, int size) {
        String reshaped = g.op("Reshape", x, g.constant(0, 0, heads, size));
        return g.op("Transpose", Map.of("perm", new long[] {0, 2, 1, 3}), reshaped);
    }

    /** [batch, heads, tokens, size] back to [batch, tokens, heads*size]. */
    public static String mergeHeads(OnnxGraph g, String x, int hidden) {
        String transposed = g.op("Transpose", Map.of("perm", new long[] {0, 2, 1, 3}), x);
        return g.op("Reshape", transposed, g.constant(0, 0, hidden));
    }

    /** {@code softmax(scores + mask) v} over split heads; the scores' scaling is the caller's, as models differ. */
    public static String attend(OnnxGraph g, String scores, String v, String additiveMask) {
        String probs = g.op("Softmax", Map.of("axis", -1L), g.op("Add", scores, additiveMask));
        return g.op("MatMul", probs, v);
    }

    /** {@code k} [batch, heads, tokens, size] transposed to [batch, heads, size, tokens]. */
    public static String keysTransposed(OnnxGraph g, String k) {
        return g.op("Transpose", Map.of("perm", new long[] {0, 1, 3, 2}), k);
    }

    /** The number of tokens, {@code input_ids}' axis 1, as a scalar. */
    public static String tokens(OnnxGraph g, String ids) {
        return g.op("Gather", g.op("Shape", ids), g.scalar(1L));
    }

    /**
     * A decoder's causal mask [tokens, tokens]: 0 where a token may attend (itself and those before, within the
     * last {@code window} when not null, as Mistral's), the lowest float elsewhere; add the padding mask to it.
     */
    public static String causalMask(OnnxGraph g, String ids, Integer window) {
        String range = g.op("Range", g.scalar(0L), tokens(g, ids), g.scalar(1L));
        String query = unsqueeze(g, range, 1);
        String key = unsqueeze(g, range, 0);
        String hidden = g.op("Greater", key, query);
        if (window != null) {
            hidden = g.op("Or", hidden, g.op("Not", g.op("Less", g.op("Sub", query, key), g.scalar((long) window))));
        }
        return g.op("Mul", g.op("Cast", Map.of("to", (long) OnnxGraph.FLOAT), hidden), g.scalar(-Float.MAX_VALUE));
    }

    /** {@code x[:, 0, :]}: the first token's hidden state. */
    public static String firstToken(OnnxGraph g, String hidden) {
        return g.op("Gather", Map.of("axis", 1L), hidden, g.scalar(0L));
    }

    /** {@code x[..., index]}: one slice of the last axis of a [batch, tokens, n] tensor, as [batch, tokens]. */
    public static String lastAxisItem(OnnxGraph g, String x, long index) {
        return g.op("Gather", Map.of("axis", 2L), x, g.scalar(index));
    }

    /** Multiple choice: [batch, choices, tokens] to [batch * choices, tokens]. */
    public static String flattenChoices(OnnxGraph g, String x) {
        return g.op("Reshape", x, g.op("Concat", Map.of("axis", 0L), g.constant(-1), dim(g, x, 2)));
    }

    /** Multiple choice: one score per flattened row [batch * choices, 1] back to [batch, choices]. */
    public static String unflattenChoices(OnnxGraph g, String scores, String inputIds) {
        return g.op("Reshape", scores, g.op("Concat", Map.of("axis", 0L), g.constant(-1), dim(g, inputIds, 1)));
    }
}
