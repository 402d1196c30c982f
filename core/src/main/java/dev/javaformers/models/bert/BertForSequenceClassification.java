package dev.javaformers.models.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.Losses;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.SequenceClassifierOutput;
import dev.javaformers.nn.Layers;
import java.util.Map;

/** BERT with dropout and a linear classifier on the pooled first token. */
public class BertForSequenceClassification extends PreTrainedModel<SequenceClassifierOutput> {

    final BertModel bert;
    final Layers.Linear classifier;
    private final double dropout;

    public BertForSequenceClassification(BertConfig config, NDManager manager) {
        super(config, manager);
        bert = register("bert", new BertModel(config, manager, true));
        classifier = register("classifier", new Layers.Linear(manager, config.hiddenSize, config.numLabels(),
                config.initializerRange));
        dropout = config.classifierDropout != null ? config.classifierDropout : config.hiddenDropoutProb;
    }

    public static BertForSequenceClassification fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(BertForSequenceClassification.class,
                nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "bert";
    }

    public SequenceClassifierOutput forward(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds,
            NDArray labels) {
        NDArray pooled = bert.forward(inputIds, attentionMask, tokenTypeIds).poolerOutput();
        NDArray logits = classifier.forward(Layers.dropout(pooled, dropout, isTraining()));
        return new SequenceClassifierOutput(labels == null ? null
                : Losses.sequenceClassification(config, logits, labels), logits);
    }

    @Override
    public SequenceClassifierOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("token_type_ids"), in.get("labels"));
    }
}
