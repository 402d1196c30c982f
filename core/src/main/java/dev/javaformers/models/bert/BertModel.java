package dev.javaformers.models.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.Attention;
import dev.javaformers.models.BaseModelOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.ModelFactory;
import java.util.Map;

/** The bare BERT encoder: embeddings, layers and (optionally) the pooler. */
public class BertModel extends PreTrainedModel<BaseModelOutput> {

    final BertModules.Embeddings embeddings;
    final BertModules.Encoder encoder;
    final BertModules.Pooler pooler;

    public BertModel(BertConfig config, NDManager manager) {
        this(config, manager, true);
    }

    public BertModel(BertConfig config, NDManager manager, boolean addPoolingLayer) {
        this(config, manager, addPoolingLayer, false);
    }

    /** For RoBERTa, whose position ids count from after the padding index. */
    protected BertModel(BertConfig config, NDManager manager, boolean addPoolingLayer, boolean positionsAfterPadding) {
        super(config, manager);
        embeddings = register("embeddings", new BertModules.Embeddings(config, manager, positionsAfterPadding));
        encoder = register("encoder", new BertModules.Encoder(config, manager));
        pooler = addPoolingLayer ? register("pooler", new BertModules.Pooler(config, manager)) : null;
    }

    public static BertModel fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(BertModel.class, nameOrPath, kwargs);
    }

    public static BertModel fromPretrained(String nameOrPath) {
        return fromPretrained(nameOrPath, Map.of());
    }

    @Override
    public String baseModelPrefix() {
        return "bert";
    }

    /** The encoder on token ids; {@code attentionMask} and {@code tokenTypeIds} may be null. */
    public BaseModelOutput forward(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds) {
        NDArray x = embeddings.forward(inputIds, tokenTypeIds);
        NDArray mask = attentionMask != null ? attentionMask : inputIds.onesLike();
        NDArray hidden = encoder.forward(x, Attention.additiveMask(mask, x.getDataType()));
        return new BaseModelOutput(hidden, pooler == null ? null : pooler.forward(hidden));
    }

    @Override
    public BaseModelOutput forward(Map<String, NDArray> inputs) {
        return forward(inputs.get("input_ids"), inputs.get("attention_mask"), inputs.get("token_type_ids"));
    }
}
