package dev.javaformers.train;

/** The loss became NaN or infinite; the message names the step. */
public class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
