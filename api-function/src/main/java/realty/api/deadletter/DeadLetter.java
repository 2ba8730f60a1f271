package realty.api.deadletter;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;

/**
 * One message in a dead-letter queue, as an operator sees it.
 *
 * @param id             the message id (the event id), or {@code sha256:<hex>} of the body for a
 *                       message without one; what replay and discard take
 * @param queue          the dead-letter queue, e.g. {@code audit_events.dlq}
 * @param workQueue      where a replay sends it, e.g. {@code audit_events}
 * @param failureKind    {@code permanent}, {@code attempts-exhausted}, or RabbitMQ's reason
 *                       ({@code expired}, {@code rejected}) for a message that never reached a handler
 * @param headers        every header, as text (failure description, replay history)
 */
@Serdeable
public record DeadLetter(String id,
                         String queue,
                         String workQueue,
                         @Nullable String eventType,
                         @Nullable String correlationId,
                         @Nullable Instant timestamp,
                         @Nullable String failureKind,
                         @Nullable Integer attempts,
                         @Nullable String failedFunction,
                         @Nullable String error,
                         @Nullable String lastFailureAt,
                         int replayCount,
                         int bodyBytes,
                         @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, String> headers) {
}
