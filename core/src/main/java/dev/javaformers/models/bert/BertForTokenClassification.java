package dev.javaformers.models.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.Losses;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.TokenClassifierOutput;
import dev.javaformers.nn.Layers;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** BERT (without pooler) with dropout and a linear classifier on every token. */
public class BertForTokenClassification extends PreTrainedModel<TokenClassifierOutput> {

    final BertModel bert;
    final Layers.Linear classifier;
    private final double dropout;
    private final String prefix;

    public BertForTokenClassification(BertConfig config, NDManager manager) {
        this(config, manager, "bert", new BertModel(config, manager, false));
    }

    /** For RoBERTa: the same head on another encoder, registered under {@code prefix}. */
    protected BertForTokenClassification(BertConfig config, NDManager manager, String prefix, BertModel encoder) {
        super(config, manager);
        this.prefix = prefix;
        bert = register(prefix, encoder);
        classifier = register("classifier", new Layers.Linear(manager, config.hiddenSize, config.numLabels(),
                config.initializerRange));
        dropout = config.classifierDropout != null ? config.classifierDropout : config.hiddenDropoutProb;
    }

    public static BertForTokenClassification fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(BertForTokenClassification.class,
                nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return prefix;
    }

    @Override
    protected List<Pattern> ignoredWhenUnexpected() {
        return WITHOUT_POOLER;
    }

    public TokenClassifierOutput forward(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds,
            NDArray labels) {
        NDArray hidden = bert.forward(inputIds, attentionMask, tokenTypeIds).lastHiddenState();
        NDArray logits = classifier.forward(Layers.dropout(hidden, dropout, isTraining()));
        return new TokenClassifierOutput(labels == null ? null : Losses.crossEntropy(logits, labels), logits);
    }

    @Override
    public TokenClassifierOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("token_type_ids"), in.get("labels"));
    }
}
