package dev.javaformers.models.distilbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.QuestionAnsweringModelOutput;
import dev.javaformers.nn.Layers;
import java.util.Map;

/** DistilBERT with dropout (qa_dropout) and {@code qa_outputs}, a start and an end score for every token. */
public class DistilBertForQuestionAnswering extends PreTrainedModel<QuestionAnsweringModelOutput> {

    final DistilBertModel distilbert;
    final Layers.Linear qaOutputs;
    private final double dropout;

    public DistilBertForQuestionAnswering(DistilBertConfig config, NDManager manager) {
        super(config, manager);
        if (config.numLabels() != 2) {
            throw new IllegalArgumentException("config.num_labels should be 2, but it is " + config.numLabels());
        }
        distilbert = register("distilbert", new DistilBertModel(config, manager));
        qaOutputs = register("qa_outputs", new Layers.Linear(manager, config.dim, config.numLabels(),
                config.initializerRange));
        dropout = config.qaDropout;
    }

    public static DistilBertForQuestionAnswering fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(DistilBertForQuestionAnswering.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "distilbert";
    }

    /**
     * Start and end logits [batch, tokens]; the loss when both {@code startPositions} and {@code endPositions}
     * [batch] are given. DistilBERT takes no token types.
     */
    public QuestionAnsweringModelOutput forward(NDArray inputIds, NDArray attentionMask, NDArray startPositions,
            NDArray endPositions) {
        NDArray hidden = distilbert.forward(inputIds, attentionMask).lastHiddenState();
        NDArray logits = qaOutputs.forward(Layers.dropout(hidden, dropout, isTraining()));
        return QuestionAnsweringModelOutput.fromSpanLogits(logits, startPositions, endPositions);
    }

    @Override
    public QuestionAnsweringModelOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("start_positions"),
                in.get("end_positions"));
    }
}
