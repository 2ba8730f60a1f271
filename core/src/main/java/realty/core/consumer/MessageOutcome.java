package realty.core.consumer;

import io.micronaut.core.annotation.Nullable;
import realty.core.observability.EventMetrics;

/**
 * What became of one message of a batch, once the batch's outcomes are committed: what the
 * success and failure hooks and the {@link ConsumerListener} see.
 *
 * @param message        the delivery (its envelope is null when it could not be decoded)
 * @param outcome        processed, duplicate, retried or dead-lettered
 * @param attempt        which try this delivery was
 * @param durationMicros time in the handler
 * @param failure        why it failed, for retried and dead-lettered messages
 * @param error          the handler's exception, if the handler ran and threw
 */
public record MessageOutcome(ReceivedMessage message, EventMetrics.Outcome outcome, int attempt, long durationMicros,
                             @Nullable FailedAttempt failure, @Nullable Throwable error) {

    public boolean succeeded() {
        return outcome == EventMetrics.Outcome.PROCESSED;
    }

    public boolean failed() {
        return failure != null;
    }
}
