package realty.core.consumer;

/** Thrown out of the Lambda handler so that the event source redelivers the whole batch. */
public class BatchFailedException extends RuntimeException {
    public BatchFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
