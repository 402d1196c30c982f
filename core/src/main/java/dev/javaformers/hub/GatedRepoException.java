package dev.javaformers.hub;

/** The repository is gated: access must be requested on the Hub and a token sent with each request. */
public class GatedRepoException extends RepositoryNotFoundException {

    private static final long serialVersionUID = 1L;

    public GatedRepoException(String message) {
        super(message);
    }
}
