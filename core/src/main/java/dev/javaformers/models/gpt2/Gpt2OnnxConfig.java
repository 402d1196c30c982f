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
import dev.javaformers.nn.Parameter;
import dev.javaformers.onnx.DecoderOnnxConfig;
import dev.javaformers.onnx.OnnxGraph;
import dev.javaformers.onnx.OnnxLayers;
import java.util.Map;

/**
 * transformers' {@code GPT2OnnxConfig} without past key values: inputs {@code input_ids} and
 * {@code attention_mask} {@code {0: batch, 1: sequence}}, tasks {@code default} (last_hidden_state) and
 * {@code causal-lm} (logits at every position), default opset 13 as transformers has it.
 */
public class Gpt2OnnxConfig extends DecoderOnnxConfig {

    public Gpt2OnnxConfig(Gpt2Config config, String task) {
        super(config, task);
    }

    /** 13, as transformers' GPT2OnnxConfig has it. */
    @Override
    public int defaultOnnxOpset() {
        return 13;
    }

    @Override
    protected String decoder(OnnxGraph g, PreTrainedModel<?> model, String ids, String mask) {
        return decoderGraph(g, task().equals("default") ? expect(model, GPT2Model.class)
                : expect(model, GPT2LMHeadModel.class).transformer, ids, mask);
    }

    @Override
    protected Parameter lmHead(PreTrainedModel<?> causalLm) {
        return expect(causalLm, GPT2LMHeadModel.class).transformer.wte.weight; // tied
    }

    /** GPT2Model.forward without a cache: positions 0..T-1, the causal mask plus padding, each block, ln_f. */
    static String decoderGraph(OnnxGraph g, GPT2Model model, String ids, String mask) {
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
