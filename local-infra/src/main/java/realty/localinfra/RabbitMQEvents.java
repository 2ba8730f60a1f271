package realty.localinfra;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A batch as Lambda's Amazon MQ event source hands it to a function: messages keyed by
 * {@code queue::virtual-host}, bodies in base64. For tests that call a queue function directly.
 */
public final class RabbitMQEvents {
    /** One delivered message: its AMQP message id, type and body. */
    public record Message(String id, String type, byte[] body) {
    }

    private RabbitMQEvents() {
    }

    public static RabbitMQEvent batch(String queue, List<Message> messages) {
        List<RabbitMQEvent.RabbitMessage> delivered = messages.stream().map(RabbitMQEvents::delivered).toList();
        RabbitMQEvent event = new RabbitMQEvent();
        event.setEventSource("aws:rmq");
        event.setRmqMessagesByQueue(Map.of(queue + "::/", delivered));
        return event;
    }

    private static RabbitMQEvent.RabbitMessage delivered(Message message) {
        RabbitMQEvent.BasicProperties p = new RabbitMQEvent.BasicProperties();
        p.setMessageId(message.id());
        p.setType(message.type());
        p.setContentType("application/json");
        p.setPriority(5);
        p.setBodySize(message.body().length);
        RabbitMQEvent.RabbitMessage m = new RabbitMQEvent.RabbitMessage();
        m.setBasicProperties(p);
        m.setData(Base64.getEncoder().encodeToString(message.body()));
        return m;
    }
}
