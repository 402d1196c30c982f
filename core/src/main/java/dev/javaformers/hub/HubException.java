package dev.javaformers.hub;

/** A file could not be had from the Hub or the cache; the message says which and why. */
public class HubException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
