package dev.javaformers.models.llama;

import static dev.javaformers.onnx.OnnxLayers.activation;
import static dev.javaformers.onnx.OnnxLayers.additiveMask;
import static dev.javaformers.onnx.OnnxLayers.attend;
import static dev.javaformers.onnx.OnnxLayers.dim;
import static dev.javaformers.onnx.OnnxLayers.embedding;
import static dev.javaformers.onnx.OnnxLayers.keysTransposed;
import static dev.javaformers.onnx.OnnxLayers.linear;
import static dev.javaformers.onnx.OnnxLayers.mergeHeads;
import static dev.javaformers.onnx.OnnxLayers.splitHeads;
import static dev.javaformers.onnx.OnnxLayers.unsqueeze;

import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Parameter;
import dev.javaformers.onnx.DecoderOnnxConfig;
import dev.javaformers.onnx.OnnxGraph;
import dev.javaformers.onnx.OnnxLayers;
import java.util.HashMap;
import java.util.Map;

/**
 * Llama (and Qwen2 and Mistral, whose configs extend Llama's) to ONNX without past key values, as optimum's
 * {@code LlamaOnnxConfig}: inputs {@code input_ids} and {@code attention_mask}, tasks {@code default} and
 * {@code causal-lm} (see {@link DecoderOnnxConfig}); RMSNorm, rotary positions (every {@code rope_scaling}: linear, dynamic computed from the
 * sequence length inside the graph, llama3), grouped-query attention, sliding windows, the gated MLP.
 */
public class LlamaOnnxConfig extends DecoderOnnxConfig {

    public LlamaOnnxConfig(LlamaConfig config, String task) {
        super(config, task);
    }

    @Override
    protected String decoder(OnnxGraph g, PreTrainedModel<?> model, String ids, String mask) {
        return decoderGraph(g, task().equals("default") ? expect(model, LlamaModel.class)
                : expect(model, LlamaForCausalLM.class).model, ids, mask);
    }

    @Override
    protected Parameter lmHead(PreTrainedModel<?> causalLm) {
        return expect(causalLm, LlamaForCausalLM.class).headWeight;
    }

    /** LlamaModel.forward without a cache: positions 0..T-1 in every row, as transformers' default. */
    static String decoderGraph(OnnxGraph g, LlamaModel model, String ids, String mask) {
        LlamaConfig c = (LlamaConfig) model.config();
        String x = embedding(g, model.embedTokens, ids);
        String[] cosSin = rotary(g, ids, c);
        String padding = additiveMask(g, mask);
        Map<Integer, String> masks = new HashMap<>(); // by sliding window; -1 for none
        for (LlamaModules.DecoderLayer layer : model.layers.items()) {
            Integer window = layer.slidingWindow;
            String additive = masks.computeIfAbsent(window == null ? -1 : window, w -> g.op("Add",
                    OnnxLayers.causalMask(g, ids, window), padding));
            LlamaModules.SelfAttention a = layer.selfAttn;
            String h = rmsNorm(g, layer.inputLayernorm, x);
            String q = rotate(g, splitHeads(g, linear(g, a.qProj, h), a.heads, a.headDim), cosSin, a.headDim);
            String k = rotate(g, splitHeads(g, linear(g, a.kProj, h), a.kvHeads, a.headDim), cosSin, a.headDim);
            String v = splitHeads(g, linear(g, a.vProj, h), a.kvHeads, a.headDim);
            k = repeatKv(g, k, a.heads, a.kvHeads, a.headDim);
            v = repeatKv(g, v, a.heads, a.kvHeads, a.headDim);
            String scores = g.op("Div", g.op("MatMul", q, keysTransposed(g, k)), g.scalar((float) Math.sqrt(a.headDim)));
            String context = mergeHeads(g, attend(g, scores, v, additive), a.heads * a.headDim);
            x = g.op("Add", x, linear(g, a.oProj, context));
            LlamaModules.Mlp mlp = layer.mlp;
            String h2 = rmsNorm(g, layer.postAttentionLayernorm, x);
            String gated = g.op("Mul", activation(g, mlp.activation, linear(g, mlp.gateProj, h2)),
                    linear(g, mlp.upProj, h2));
            x = g.op("Add", x, linear(g, mlp.downProj, gated));
        }
        return rmsNorm(g, model.norm, x);
    }

    /** {@code x / sqrt(mean(x^2) + eps) * weight}. */
    private static String rmsNorm(OnnxGraph g, LlamaModules.RMSNorm norm, String x) {
        String squares = g.op("Pow", x, g.scalar(2f));
        String variance = OnnxLayers.reduceMeanLast(g, squares);
        String normed = g.op("Div", x, g.op("Sqrt", g.op("Add", variance, g.scalar((float) norm.eps))));
        return g.op("Mul", normed, g.parameter(norm.weight));
    }

    /** cos and sin [tokens, head size] of the rotary angles of positions 0..T-1, as LlamaModules.rotary. */
    private static String[] rotary(OnnxGraph g, String ids, LlamaConfig c) {
        int headDim = c.headSize();
        String tokens = OnnxLayers.tokens(g, ids);
        String t = g.op("Cast", Map.of("to", (long) OnnxGraph.FLOAT), g.op("Range", g.scalar(0L), tokens,
                g.scalar(1L)));
        String type = c.ropeType();
        if ("linear".equals(type)) {
            t = g.op("Div", t, g.scalar((float) c.ropeScalingValue("factor")));
        }
        String invFreq;
        if ("dynamic".equals(type)) {
            invFreq = dynamicFrequencies(g, tokens, c, headDim);
        } else {
            invFreq = g.constant(LlamaModules.inverseFrequencies(c.ropeTheta, headDim, c));
        }
        String freqs = g.op("Mul", unsqueeze(g, t, 1), invFreq);
        String angles = g.op("Concat", Map.of("axis", -1L), freqs, freqs);
        return new String[] {g.op("Cos", angles), g.op("Sin", angles)};
    }

    /**
     * NTK scaling: past {@code max_position_embeddings} tokens the base grows to
     * {@code base * (factor * T / max - (factor - 1))^(d / (d - 2))}, computed from the graph's own length.
     */
    private static String dynamicFrequencies(OnnxGraph g, String tokens, LlamaConfig c, int headDim) {
        double factor = c.ropeScalingValue("factor");
        float max = c.maxPositionEmbeddings;
        String length = g.op("Cast", Map.of("to", (long) OnnxGraph.FLOAT), tokens);
        String ratio = g.op("Sub", g.op("Mul", length, g.scalar((float) (factor / max))), g.scalar((float) (factor - 1)));
        String scaled = g.op("Mul", g.scalar((float) c.ropeTheta), g.op("Pow", ratio,
                g.scalar((float) headDim / (headDim - 2))));
        String base = g.op("Where", g.op("Greater", length, g.scalar(max)), scaled, g.scalar((float) c.ropeTheta));
        float[] exponents = new float[headDim / 2];
        for (int i = 0; i < exponents.length; i++) {
            exponents[i] = (float) (2 * i) / headDim;
        }
        return g.op("Div", g.scalar(1f), g.op("Pow", base, g.constant(exponents)));
    }

    /** {@code x * cos + rotate_half(x) * sin}. */
    private static String rotate(OnnxGraph g, String x, String[] cosSin, int headDim) {
        long half = headDim / 2;
        String firstHalf = g.op("Slice", x, g.constant(0), g.constant(half), g.constant(3));
        String secondHalf = g.op("Slice", x, g.constant(half), g.constant(headDim), g.constant(3));
        String rotated = g.op("Concat", Map.of("axis", -1L), g.op("Neg", secondHalf), firstHalf);
        return g.op("Add", g.op("Mul", x, cosSin[0]), g.op("Mul", rotated, cosSin[1]));
    }

    /** Grouped-query attention: each of the kv heads repeated for its group of query heads. */
    private static String repeatKv(OnnxGraph g, String x, int heads, int kvHeads, int headDim) {
        if (heads == kvHeads) {
            return x;
        }
        String shape = g.op("Concat", Map.of("axis", 0L), dim(g, x, 0), dim(g, x, 1), g.constant(heads / kvHeads),
                dim(g, x, 2), dim(g, x, 3));
        String expanded = g.op("Expand", unsqueeze(g, x, 2), shape);
        return g.op("Reshape", expanded, g.constant(0, heads, -1, headDim));
    }
}
