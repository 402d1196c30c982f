package dev.javaformers.models.distilbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.Losses;
import dev.javaformers.models.MaskedLMOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Layers;
import dev.javaformers.nn.Parameter;
import java.util.Map;

/** DistilBERT with vocab_transform, activation, vocab_layer_norm and vocab_projector (tied to the embeddings). */
public class DistilBertForMaskedLM extends PreTrainedModel<MaskedLMOutput> {

    final DistilBertModel distilbert;
    final Layers.Linear transform;
    final Layers.LayerNorm norm;
    final Parameter bias;
    final String activation;

    public DistilBertForMaskedLM(DistilBertConfig config, NDManager manager) {
        super(config, manager);
        distilbert = register("distilbert", new DistilBertModel(config, manager));
        transform = register("vocab_transform", new Layers.Linear(manager, config.dim, config.dim,
                config.initializerRange));
        norm = register("vocab_layer_norm", new Layers.LayerNorm(manager, config.dim, 1e-12));
        Layers.Container projector = register("vocab_projector", new Layers.Container());
        projector.add("weight", distilbert.wordEmbeddings.weight); // tied
        bias = projector.add("bias", new Parameter(manager.zeros(new Shape(config.vocabSize))));
        activation = config.activation;
    }

    public static DistilBertForMaskedLM fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(DistilBertForMaskedLM.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "distilbert";
    }

    public MaskedLMOutput forward(NDArray inputIds, NDArray attentionMask, NDArray labels) {
        NDArray hidden = distilbert.forward(inputIds, attentionMask).lastHiddenState();
        NDArray h = norm.forward(Layers.activation(activation, transform.forward(hidden)));
        NDArray logits = ai.djl.nn.core.Linear.linear(h, distilbert.wordEmbeddings.weight.array(), bias.array())
                .singletonOrThrow();
        return new MaskedLMOutput(labels == null ? null : Losses.crossEntropy(logits, labels), logits);
    }

    @Override
    public MaskedLMOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("labels"));
    }
}
