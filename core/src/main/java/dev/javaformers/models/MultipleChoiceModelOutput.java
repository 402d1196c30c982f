package dev.javaformers.models;

import ai.djl.ndarray.NDArray;

/** One score per choice, logits [batch, num_choices], and the cross entropy over the choices when labels were given. */
public record MultipleChoiceModelOutput(NDArray loss, NDArray logits) implements ModelOutput {

    /**
     * An input [batch, choices, tokens] as [batch * choices, tokens], the encoder's batch, as transformers'
     * {@code x.view(-1, x.size(-1))} in every {@code *ForMultipleChoice}; null stays null.
     */
    public static NDArray flattenChoices(NDArray input) {
        return input == null ? null : input.reshape(-1, input.getShape().get(input.getShape().dimension() - 1));
    }

    /**
     * The output from each flattened row's score [batch * choices, 1]: logits [batch, choices], and with
     * {@code labels} [batch] (the right choice's index) their cross entropy.
     */
    public static MultipleChoiceModelOutput fromChoiceScores(NDArray scores, long choices, NDArray labels) {
        NDArray logits = scores.reshape(-1, choices);
        return new MultipleChoiceModelOutput(labels == null ? null : Losses.crossEntropy(logits, labels), logits);
    }
}
