package dev.javaformers.hub;

/**
 * The Hub could not be asked (offline mode, {@code localFilesOnly}, or the network is down) and the file is
 * not in the local cache.
 */
public class LocalEntryNotFoundException extends HubException {

    private static final long serialVersionUID = 1L;

    public LocalEntryNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
