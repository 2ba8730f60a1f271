package realty.core.consumer;

/**
 * Thrown out of the Lambda handler (and only there) for a {@link BatchResult.Redeliver}: failing
 * the invocation is how Lambda's Amazon MQ event source is told to redeliver the whole batch.
 */
public class BatchFailedException extends RuntimeException {
    public BatchFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
