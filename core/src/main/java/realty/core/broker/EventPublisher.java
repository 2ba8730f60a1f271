package realty.core.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.MessageProperties;
import io.micronaut.rabbitmq.connect.RabbitConnectionFactoryConfig;
import jakarta.inject.Singleton;

import java.util.Date;
import java.util.List;

/**
 * Publishes persistent messages and waits for the broker's confirms. A batch is confirmed as a
 * whole: either every message is confirmed or the call throws and the caller keeps them pending.
 *
 * <p>Raw channel use: micronaut-rabbitmq's {@code @RabbitClient} publishes blocking calls without
 * confirms and confirms reactive ones one message at a time (through Reactor); a batch confirmed in
 * one wait, all or nothing, has no equivalent there. The wait is {@code rabbitmq.confirm-timeout}.
 */
@Singleton
public class EventPublisher {
    private final BrokerConnection broker;
    private final RabbitConnectionFactoryConfig factory;

    public EventPublisher(BrokerConnection broker, RabbitConnectionFactoryConfig factory) {
        this.broker = broker;
        this.factory = factory;
    }

    public void publish(List<OutgoingMessage> messages) throws BrokerUnavailableException {
        if (messages.isEmpty()) {
            return;
        }
        broker.withChannel(channel -> {
            for (OutgoingMessage m : messages) {
                channel.basicPublish(m.exchange(), m.routingKey(), false, properties(m), m.body());
            }
            channel.waitForConfirmsOrDie(factory.getConfirmTimeout().toMillis());
            return null;
        });
    }

    private static AMQP.BasicProperties properties(OutgoingMessage m) {
        return MessageProperties.PERSISTENT_BASIC.builder()
                .contentType("application/json")
                .messageId(m.messageId())
                .type(m.type())
                .priority(m.priority())
                .correlationId(m.correlationId())
                .timestamp(m.timestamp() == null ? null : Date.from(m.timestamp()))
                .headers(m.headers())
                .build();
    }
}
