package realty.core.consumer;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import jakarta.inject.Singleton;
import realty.core.event.EventCodec;
import realty.core.event.EventEnvelope;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Lambda's RabbitMQ event into {@link ReceivedMessage}s.
 *
 * <p>Shape: {@code rmqMessagesByQueue} keyed {@code "<queue>::<vhost>"}, bodies base64 in
 * {@code data}, and AMQP string headers as {@code {"bytes": [..]}} objects
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html).
 */
@Singleton
public class RabbitMQEventDecoder {
    private final EventCodec codec;

    public RabbitMQEventDecoder(EventCodec codec) {
        this.codec = codec;
    }

    public List<ReceivedMessage> decode(RabbitMQEvent event) {
        List<ReceivedMessage> out = new ArrayList<>();
        if (event == null || event.getRmqMessagesByQueue() == null) {
            return out;
        }
        event.getRmqMessagesByQueue().forEach((key, messages) -> {
            String queue = key.contains("::") ? key.substring(0, key.indexOf("::")) : key;
            for (RabbitMQEvent.RabbitMessage m : messages) {
                out.add(decode(queue, m));
            }
        });
        return out;
    }

    private ReceivedMessage decode(String queue, RabbitMQEvent.RabbitMessage m) {
        RabbitMQEvent.BasicProperties p = m.getBasicProperties() != null ? m.getBasicProperties()
                : new RabbitMQEvent.BasicProperties();
        Map<String, Object> headers = new LinkedHashMap<>();
        if (p.getHeaders() != null) {
            p.getHeaders().forEach((k, v) -> headers.put(k, headerValue(v)));
        }
        byte[] body = new byte[0];
        EventEnvelope envelope = null;
        String error = null;
        try {
            body = Base64.getDecoder().decode(m.getData() == null ? "" : m.getData());
            envelope = codec.decode(body);
        } catch (IllegalArgumentException e) {
            error = "body is not base64: " + e.getMessage();
        } catch (IOException | RuntimeException e) {
            error = "body is not a JSON event envelope: " + e.getMessage();
        }
        return new ReceivedMessage(queue, p.getMessageId(), p.getType(), p.getPriority(), p.getCorrelationId(),
                headers, body, m.getRedelivered(), envelope, error);
    }

    /** Lambda renders AMQP long strings as {@code {"bytes": [118, 97, ...]}}; undo that. */
    @SuppressWarnings("unchecked")
    static Object headerValue(Object v) {
        if (v instanceof Map<?, ?> map && map.size() == 1 && map.get("bytes") instanceof List<?> bytes) {
            return bytesToString((List<Object>) bytes);
        }
        if (v instanceof byte[] raw) {
            return new String(raw, java.nio.charset.StandardCharsets.UTF_8);
        }
        return v;
    }

    private static String bytesToString(List<Object> bytes) {
        byte[] raw = new byte[bytes.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = ((Number) bytes.get(i)).byteValue();
        }
        return new String(raw, java.nio.charset.StandardCharsets.UTF_8);
    }
}
