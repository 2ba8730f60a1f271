package realty.core.consumer;

import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;
import realty.core.broker.OutgoingMessage;
import realty.core.topology.WorkQueue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Republishes a failed message to the delay queue of its next attempt (which dead-letters it back
 * to the work queue when its TTL runs out), or to the work queue's dead-letter exchange once the
 * attempts are used up or the failure is permanent, with headers that describe the failure.
 */
@Singleton
@Secondary
public class DelayTierRecoverer implements FailureRecoverer {
    public static final String FIRST_FAILURE_AT = "x-first-failure-at";
    public static final String LAST_ERROR = "x-last-error";

    @Override
    public boolean isFinal(WorkQueue queue, FailedAttempt failure) {
        return failure.permanent() || failure.attempt() >= queue.retry().maxAttempts();
    }

    @Override
    public OutgoingMessage recover(ReceivedMessage message, WorkQueue queue, FailedAttempt failure) {
        Map<String, Object> headers = new HashMap<>(message.headers());
        headers.remove("x-death"); // RabbitMQ's own history of the delay queues; our headers say it plainly
        headers.putIfAbsent(FIRST_FAILURE_AT, failure.at().toString());
        headers.put(LAST_ERROR, failure.describe());
        String type = routingKey(message);
        if (isFinal(queue, failure)) {
            headers.put("x-original-queue", queue.name());
            headers.put("x-original-routing-key", type);
            headers.put("x-attempts", failure.attempt());
            headers.put("x-last-failure-at", failure.at().toString());
            headers.put("x-exception-class", failure.errorClass());
            headers.put("x-exception-message", failure.errorMessage());
            headers.put("x-failed-function", failure.function());
            headers.put("x-failure-kind", failure.permanent() ? "permanent" : "attempts-exhausted");
            return copy(message, queue.deadLetterExchange(), type, headers);
        }
        int next = failure.attempt() + 1;
        headers.put(ReceivedMessage.ATTEMPT_HEADER, next);
        return copy(message, "", queue.retryQueue(queue.retry().tierBefore(next)), headers);
    }

    private static String routingKey(ReceivedMessage message) {
        if (message.type() != null) {
            return message.type();
        }
        return message.envelope() != null ? message.envelope().type() : "unknown";
    }

    private static OutgoingMessage copy(ReceivedMessage m, String exchange, String routingKey, Map<String, Object> headers) {
        Instant timestamp = m.envelope() != null && m.envelope().occurredAt() != null ? m.envelope().occurredAt() : Instant.now();
        String id = m.messageId() != null ? m.messageId() : m.envelope() != null ? m.envelope().id().toString() : null;
        return new OutgoingMessage(exchange, routingKey, id, routingKey(m), Math.max(0, m.priority()),
                m.correlationId(), timestamp, headers, m.body());
    }
}
