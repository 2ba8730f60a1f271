package realty.core.consumer;

import realty.core.topology.WorkQueue;

/**
 * Observes a queue function's batches: logs and metrics live here, not in the loop. Called after
 * the batch's outcomes are committed (and its failures republished), so it never reports an outcome
 * that was rolled back.
 */
public interface ConsumerListener {

    /** One call per message of a batch whose outcomes were committed. */
    void onMessage(WorkQueue queue, MessageOutcome outcome, boolean coldStart);

    /** The batch's outcomes could not be made durable: the invocation fails and the batch comes back. */
    void onRedelivery(WorkQueue queue, BatchResult.Redeliver redelivery);
}
