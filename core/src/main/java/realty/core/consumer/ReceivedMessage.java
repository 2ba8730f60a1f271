package realty.core.consumer;

import io.micronaut.core.annotation.Nullable;
import realty.core.event.EventEnvelope;

import java.util.Map;

/**
 * One message of a {@code RabbitMQEvent} batch, decoded as far as it could be.
 *
 * @param queue       the queue it came from (without the {@code ::vhost} suffix)
 * @param properties  AMQP properties as Lambda delivers them
 * @param headers     headers with Lambda's {@code {"bytes": [...]}} strings turned back into strings
 * @param body        raw body
 * @param envelope    the decoded envelope, or null when {@code decodeError} says why not
 * @param decodeError why the body is not a usable envelope
 */
public record ReceivedMessage(String queue,
                              String messageId,
                              String type,
                              int priority,
                              @Nullable String correlationId,
                              Map<String, Object> headers,
                              byte[] body,
                              boolean redelivered,
                              @Nullable EventEnvelope envelope,
                              @Nullable String decodeError) {

    public static final String ATTEMPT_HEADER = "x-attempt";

    /** Which try this delivery is: 1 unless a retry tier set the header. */
    public int attempt() {
        Object v = headers.get(ATTEMPT_HEADER);
        if (v instanceof Number n) {
            return Math.max(1, n.intValue());
        }
        if (v instanceof String s) {
            try {
                return Math.max(1, Integer.parseInt(s.trim()));
            } catch (NumberFormatException ignored) {
                return 1;
            }
        }
        return 1;
    }
}
