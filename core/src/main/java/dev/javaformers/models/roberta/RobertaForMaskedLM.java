package dev.javaformers.models.roberta;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.Losses;
import dev.javaformers.models.MaskedLMOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Layers;
import dev.javaformers.nn.Parameter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** RoBERTa with {@code lm_head}: dense, gelu, layer_norm, and a decoder tied to the word embeddings. */
public class RobertaForMaskedLM extends PreTrainedModel<MaskedLMOutput> {

    final RobertaModel roberta;
    final Layers.Linear dense;
    final Layers.LayerNorm layerNorm;
    final Parameter bias;
    final Parameter decoderWeight;

    public RobertaForMaskedLM(RobertaConfig config, NDManager manager) {
        super(config, manager);
        roberta = register("roberta", new RobertaModel(config, manager, false));
        Layers.Container head = register("lm_head", new Layers.Container());
        bias = head.add("bias", new Parameter(manager.zeros(new Shape(config.vocabSize))));
        dense = head.add("dense", new Layers.Linear(manager, config.hiddenSize, config.hiddenSize,
                config.initializerRange));
        layerNorm = head.add("layer_norm", new Layers.LayerNorm(manager, config.hiddenSize, config.layerNormEps));
        Layers.Container decoder = head.add("decoder", new Layers.Container());
        decoderWeight = decoder.add("weight", roberta.namedParameters().get("embeddings.word_embeddings.weight"));
        decoder.add("bias", bias);
    }

    public static RobertaForMaskedLM fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(RobertaForMaskedLM.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "roberta";
    }

    @Override
    protected List<Pattern> ignoredWhenUnexpected() {
        return WITHOUT_POOLER;
    }

    public MaskedLMOutput forward(NDArray inputIds, NDArray attentionMask, NDArray labels) {
        NDArray hidden = roberta.forward(inputIds, attentionMask, null).lastHiddenState();
        NDArray h = layerNorm.forward(Layers.activation("gelu", dense.forward(hidden)));
        NDArray logits = ai.djl.nn.core.Linear.linear(h, decoderWeight.array(), bias.array()).singletonOrThrow();
        return new MaskedLMOutput(labels == null ? null : Losses.crossEntropy(logits, labels), logits);
    }

    @Override
    public MaskedLMOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("labels"));
    }
}
