package realty.core.consumer;

/** What the Lambda handler must do with a batch: return normally, or fail so that it comes back whole. */
public sealed interface BatchResult {

    /** Every message has its outcome committed (processed, duplicate, retried or dead-lettered). */
    record Committed(BatchReport report) implements BatchResult {
    }

    /**
     * Nothing of the batch can be vouched for (outcomes not committed, or failed messages not
     * republished): the invocation must fail so that the event source redelivers the batch.
     */
    record Redeliver(int messages, String reason, Throwable cause) implements BatchResult {
    }
}
