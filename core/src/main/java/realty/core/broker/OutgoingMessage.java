package realty.core.broker;

import java.time.Instant;
import java.util.Map;

/**
 * One AMQP publish: where it goes and the properties of spec/events.md §1.
 *
 * @param exchange   exchange name ({@code ""} is the default exchange, routing by queue name)
 * @param routingKey routing key
 * @param messageId  event id
 * @param type       event type
 * @param headers    extra headers (attempt count, failure description)
 */
public record OutgoingMessage(String exchange, String routingKey, String messageId, String type, int priority,
                              String correlationId, Instant timestamp, Map<String, Object> headers, byte[] body) {
}
