package dev.javaformers.models;

import ai.djl.ndarray.NDArray;

/**
 * Span scores [batch, tokens] for the answer's first and last token, and the loss (the mean of the start and the
 * end cross entropy) when start and end positions were given.
 */
public record QuestionAnsweringModelOutput(NDArray loss, NDArray startLogits, NDArray endLogits)
        implements ModelOutput {

    /**
     * What every {@code *ForQuestionAnswering} head does with its {@code qa_outputs} logits [batch, tokens, 2]: splits
     * them into start and end logits [batch, tokens] and, when both positions [batch] are given, computes
     * {@link Losses#questionAnswering}.
     */
    public static QuestionAnsweringModelOutput fromSpanLogits(NDArray logits, NDArray startPositions,
            NDArray endPositions) {
        long labels = logits.getShape().get(logits.getShape().dimension() - 1);
        if (labels != 2) { // transformers fails unpacking logits.split(1, dim=-1) into start and end
            throw new IllegalArgumentException("A question answering head needs num_labels=2 (a start and an end "
                    + "logit per token), not " + labels);
        }
        NDArray start = logits.get(":, :, 0");
        NDArray end = logits.get(":, :, 1");
        NDArray loss = startPositions == null || endPositions == null ? null
                : Losses.questionAnswering(start, end, startPositions, endPositions);
        return new QuestionAnsweringModelOutput(loss, start, end);
    }
}
