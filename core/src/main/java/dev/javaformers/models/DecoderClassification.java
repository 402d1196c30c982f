package dev.javaformers.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.javaformers.config.PretrainedConfig;

/**
 * What decoder classification heads ({@code GPT2ForSequenceClassification}, {@code LlamaForSequenceClassification})
 * share: they score every token and keep each row's last token that is not {@code pad_token_id}, the one that has
 * seen the whole text.
 */
public final class DecoderClassification {

    private DecoderClassification() {}

    /**
     * The head's output from its scores of every token [batch, tokens, labels]: the last non-pad token's, and
     * with {@code labels} the loss for the config's problem type.
     */
    public static SequenceClassifierOutput output(PretrainedConfig config, NDArray tokenScores, NDArray inputIds,
            NDArray labels) {
        NDArray logits = lastTokenLogits(tokenScores, inputIds, config.padTokenId);
        return new SequenceClassifierOutput(labels == null ? null
                : Losses.sequenceClassification(config, logits, labels), logits);
    }

    /**
     * The logits [batch, labels] of each row's last non-pad token of {@code logits} [batch, tokens, labels]: the
     * rightmost, so right and left padding both work. Without a pad token the last position, for one row only.
     */
    public static NDArray lastTokenLogits(NDArray logits, NDArray inputIds, Integer padTokenId) {
        long batch = inputIds.getShape().get(0);
        long tokens = inputIds.getShape().get(1);
        if (padTokenId == null && batch != 1) {
            throw new IllegalArgumentException("Cannot handle batch sizes > 1 if no padding token is defined: set "
                    + "pad_token_id in the config (often to eos_token_id)");
        }
        NDArray last;
        if (padTokenId == null) {
            last = inputIds.getManager().full(new ai.djl.ndarray.types.Shape(batch), tokens - 1);
        } else {
            NDArray positions = inputIds.getManager().arange(0, tokens, 1, DataType.INT64).expandDims(0);
            last = inputIds.neq(padTokenId).toType(DataType.INT64, false).mul(positions).argMax(-1);
        }
        NDArray pick = last.oneHot((int) tokens).toType(logits.getDataType(), false).expandDims(-1);
        return logits.mul(pick).sum(new int[] {1});
    }
}
