package dev.javaformers.hub;

/** The branch, tag or commit asked for does not exist in the repository. */
public class RevisionNotFoundException extends HubException {

    private static final long serialVersionUID = 1L;

    public RevisionNotFoundException(String message) {
        super(message);
    }
}
