package dev.javaformers.generation;

/**
 * Changes the next-token scores of every row before a token is chosen, as transformers' LogitsProcessor and
 * LogitsWarper: {@code inputIds} [rows][tokens so far], {@code scores} [rows][vocab], changed in place.
 * {@link LogitsProcessors} has transformers' own; a list of them runs in order.
 */
@FunctionalInterface
public interface LogitsProcessor {

    void process(long[][] inputIds, float[][] scores);
}
