package dev.javaformers.hub;

/** The repository and revision exist but hold no file of that name. */
public class EntryNotFoundException extends HubException {

    private static final long serialVersionUID = 1L;

    public EntryNotFoundException(String message) {
        super(message);
    }
}
