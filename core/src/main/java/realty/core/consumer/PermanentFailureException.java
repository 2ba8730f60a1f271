package realty.core.consumer;

/** A failure that retrying cannot fix (bad input, unsupported type or version): straight to the DLQ. */
public class PermanentFailureException extends Exception {
    public PermanentFailureException(String message) {
        super(message);
    }

    public PermanentFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
