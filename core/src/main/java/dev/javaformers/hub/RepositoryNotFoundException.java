package dev.javaformers.hub;

/** The repository does not exist, or it is private and the request carried no token that may read it. */
public class RepositoryNotFoundException extends HubException {

    private static final long serialVersionUID = 1L;

    public RepositoryNotFoundException(String message) {
        super(message);
    }
}
