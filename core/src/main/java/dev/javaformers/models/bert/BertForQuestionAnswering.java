package dev.javaformers.models.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.QuestionAnsweringModelOutput;
import dev.javaformers.nn.Layers;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * BERT (without pooler) with {@code qa_outputs}, a linear layer giving every token a start and an end score for
 * extractive question answering (SQuAD).
 */
public class BertForQuestionAnswering extends PreTrainedModel<QuestionAnsweringModelOutput> {

    final BertModel bert;
    final Layers.Linear qaOutputs;
    private final String prefix;

    public BertForQuestionAnswering(BertConfig config, NDManager manager) {
        this(config, manager, "bert", new BertModel(config, manager, false));
    }

    /** For RoBERTa: the same head on another encoder, registered under {@code prefix}. */
    protected BertForQuestionAnswering(BertConfig config, NDManager manager, String prefix, BertModel encoder) {
        super(config, manager);
        this.prefix = prefix;
        bert = register(prefix, encoder);
        qaOutputs = register("qa_outputs", new Layers.Linear(manager, config.hiddenSize, config.numLabels(),
                config.initializerRange));
    }

    public static BertForQuestionAnswering fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(BertForQuestionAnswering.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return prefix;
    }

    @Override
    protected List<Pattern> ignoredWhenUnexpected() {
        return WITHOUT_POOLER;
    }

    /**
     * Start and end logits [batch, tokens]; the loss when both {@code startPositions} and {@code endPositions}
     * [batch] are given ({@code attentionMask} and {@code tokenTypeIds} may be null).
     */
    public QuestionAnsweringModelOutput forward(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds,
            NDArray startPositions, NDArray endPositions) {
        NDArray hidden = bert.forward(inputIds, attentionMask, tokenTypeIds).lastHiddenState();
        return QuestionAnsweringModelOutput.fromSpanLogits(qaOutputs.forward(hidden), startPositions, endPositions);
    }

    @Override
    public QuestionAnsweringModelOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("token_type_ids"),
                in.get("start_positions"), in.get("end_positions"));
    }
}
