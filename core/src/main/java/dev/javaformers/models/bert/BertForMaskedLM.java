package dev.javaformers.models.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.Losses;
import dev.javaformers.models.MaskedLMOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Layers;
import dev.javaformers.nn.Parameter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * BERT (without pooler) with the masked-LM head {@code cls.predictions}: dense, activation, LayerNorm, then the
 * decoder, whose weight is the word embedding matrix (tied) and whose bias is {@code cls.predictions.bias}.
 */
public class BertForMaskedLM extends PreTrainedModel<MaskedLMOutput> {

    final BertModel bert;
    final Layers.Linear transformDense;
    final Layers.LayerNorm transformNorm;
    final Parameter bias;
    final String activation;

    public BertForMaskedLM(BertConfig config, NDManager manager) {
        super(config, manager);
        bert = register("bert", new BertModel(config, manager, false));
        Layers.Container predictions = register("cls", new Layers.Container()).add("predictions",
                new Layers.Container());
        bias = predictions.add("bias", new Parameter(manager.zeros(new ai.djl.ndarray.types.Shape(config.vocabSize))));
        Layers.Container transform = predictions.add("transform", new Layers.Container());
        transformDense = transform.add("dense", new Layers.Linear(manager, config.hiddenSize, config.hiddenSize,
                config.initializerRange));
        transformNorm = transform.add("LayerNorm", new Layers.LayerNorm(manager, config.hiddenSize,
                config.layerNormEps));
        Layers.Container decoder = predictions.add("decoder", new Layers.Container());
        decoder.add("weight", bert.embeddings.wordEmbeddings.weight); // tied
        decoder.add("bias", bias);
        activation = config.hiddenAct;
    }

    public static BertForMaskedLM fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(BertForMaskedLM.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "bert";
    }

    @Override
    protected List<Pattern> ignoredWhenUnexpected() {
        return WITHOUT_POOLER;
    }

    public MaskedLMOutput forward(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds, NDArray labels) {
        NDArray hidden = bert.forward(inputIds, attentionMask, tokenTypeIds).lastHiddenState();
        NDArray h = transformNorm.forward(Layers.activation(activation, transformDense.forward(hidden)));
        NDArray logits = ai.djl.nn.core.Linear.linear(h, bert.embeddings.wordEmbeddings.weight.array(), bias.array())
                .singletonOrThrow();
        return new MaskedLMOutput(labels == null ? null : Losses.crossEntropy(logits, labels), logits);
    }

    @Override
    public MaskedLMOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("token_type_ids"), in.get("labels"));
    }
}
