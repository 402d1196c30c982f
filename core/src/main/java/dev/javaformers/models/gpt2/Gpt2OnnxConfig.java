package dev.javaformers.models.gpt2;

import static dev.javaformers.onnx.OnnxLayers.activation;
import static dev.javaformers.onnx.OnnxLayers.additiveMask;
import static dev.javaformers.onnx.OnnxLayers.attend;
import static dev.javaformers.onnx.OnnxLayers.dim;
import static dev.javaformers.onnx.OnnxLayers.embedding;
import static dev.javaformers.onnx.OnnxLayers.firstRows;
import static dev.javaformers.onnx.OnnxLayers.keysTransposed;
import static dev.javaformers.onnx.OnnxLayers.layerNorm;
import static dev.javaformers.onnx.OnnxLayers.mergeHeads;
import static dev.javaformers.onnx.OnnxLayers.splitHeads;

import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.onnx.OnnxConfig;
import dev.javaformers.onnx.OnnxGraph;
import dev.javaformers.onnx.OnnxLayers;
import java.util.List;
import java.util.Map;

/**
 * transformers' {@code GPT2OnnxConfig} without past key values: inputs {@code input_ids} and
 * {@code attention_mask} {@code {0: batch, 1: sequence}}, tasks {@code default} (last_hidden_state) and
 * {@code causal-lm} (logits at every position), default opset 13 as transformers has it.
 */
public class Gpt2OnnxConfig extends OnnxConfig {

    public Gpt2OnnxConfig(Gpt2Config config, String task) {
        super(config, task);
    }

    @Override
    public List<String> supportedTasks() {
        return List.of("default", "causal-lm");
    }

    @Override
    public int defaultOnnxOpset() {
        return 13;
    }

    @Override
    protected Map<String, String> graph(OnnxGraph g, PreTrainedModel<?> model, Map<String, String> in) {
        String ids = in.get("input_ids");
        String mask = in.get("attention_mask");
        if (task().equals("default")) {
            return Map.of("last_hidden_state", decoder(g, expect(model, GPT2Model.class), ids, mask));
        }
        GPT2LMHeadModel lm = expect(model, GPT2LMHeadModel.class);
        String hidden = decoder(g, lm.transformer, ids, mask);
        String tiedHead = g.op("Transpose", g.parameter(lm.transformer.wte.weight));
        return Map.of("logits", g.op("MatMul", hidden, tiedHead));
    }

    /** GPT2Model.forward without a cache: positions 0..T-1, the causal mask plus padding, each block, ln_f. */
    static String decoder(OnnxGraph g, GPT2Model model, String ids, String mask) {
        String x = g.op("Add", embedding(g, model.wte, ids), firstRows(g, model.wpe, dim(g, ids, 1)));
        String additive = g.op("Add", OnnxLayers.causalMask(g, ids, null), additiveMask(g, mask));
        for (Gpt2Modules.Block block : model.h.items()) {
            Gpt2Modules.SelfAttention a = block.attn;
            int size = a.hidden / a.heads;
            String qkv = conv1d(g, a.cAttn, layerNorm(g, block.ln1, x));
            String q = splitHeads(g, third(g, qkv, 0, a.hidden), a.heads, size);
            String k = splitHeads(g, third(g, qkv, 1, a.hidden), a.heads, size);
            String v = splitHeads(g, third(g, qkv, 2, a.hidden), a.heads, size);
            String scores = g.op("MatMul", q, keysTransposed(g, k));
            if (a.scale != 1) {
                scores = g.op("Div", scores, g.scalar((float) a.scale));
            }
            String context = mergeHeads(g, attend(g, scores, v, additive), a.hidden);
            x = g.op("Add", x, conv1d(g, a.cProj, context));
            Gpt2Modules.Mlp mlp = block.mlp;
            String inner = activation(g, mlp.activation, conv1d(g, mlp.cFc, layerNorm(g, block.ln2, x)));
            x = g.op("Add", x, conv1d(g, mlp.cProj, inner));
        }
        return layerNorm(g, model.lnF, x);
    }

    /** {@code x W + b} with W stored [in, out]. */
    private static String conv1d(OnnxGraph g, Gpt2Modules.Conv1D conv, String x) {
        return g.op("Add", g.op("MatMul", x, g.parameter(conv.weight)), g.parameter(conv.bias));
    }

    /** Query, key or value: the {@code part}-th block of {@code hidden} features of c_attn's output. */
    private static String third(OnnxGraph g, String qkv, int part, int hidden) {
        return g.op("Slice", qkv, g.constant((long) part * hidden), g.constant((long) (part + 1) * hidden),
                g.constant(2));
    }
}
