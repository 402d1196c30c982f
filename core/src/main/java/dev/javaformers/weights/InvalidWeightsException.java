package dev.javaformers.weights;

/** A weights file is damaged or not what its name says; the message names the file and what is wrong. */
public class InvalidWeightsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidWeightsException(String message) {
        super(message);
    }

    public InvalidWeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
