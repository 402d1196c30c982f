package dev.javaformers.generation;

/**
 * Says when generation ends for all rows, as transformers' StoppingCriteria: after each step, with the tokens so
 * far [rows][tokens]. {@link #maxLength(int)} is the one every call has; more can be passed to generate.
 */
@FunctionalInterface
public interface StoppingCriteria {

    boolean isDone(long[][] inputIds);

    /** Done when the rows hold {@code maxLength} tokens, prompt included. */
    static StoppingCriteria maxLength(int maxLength) {
        return ids -> ids.length == 0 || ids[0].length >= maxLength;
    }

    /** Done once {@code seconds} have passed since it was made. */
    static StoppingCriteria maxTime(double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        return ids -> System.nanoTime() >= end;
    }
}
