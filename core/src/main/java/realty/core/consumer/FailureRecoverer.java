package realty.core.consumer;

import realty.core.broker.OutgoingMessage;
import realty.core.topology.WorkQueue;

/**
 * Decides where a failed message goes next (a delay tier or the dead-letter queue) and with which
 * headers. Kept apart from the runtime so that the recovery strategy can be replaced on its own,
 * as Spring AMQP's {@code MessageRecoverer} is.
 */
public interface FailureRecoverer {

    OutgoingMessage recover(ReceivedMessage message, WorkQueue queue, FailedAttempt failure);

    /** Whether this failure ends in the dead-letter queue rather than a retry. */
    boolean isFinal(WorkQueue queue, FailedAttempt failure);
}
