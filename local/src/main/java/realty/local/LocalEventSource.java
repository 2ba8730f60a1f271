package realty.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.LongString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The local stand-in for Lambda's Amazon MQ event source mapping: consumes one queue, groups
 * deliveries into batches (up to {@code batchSize}, waiting at most {@code window} after the first),
 * hands each batch to the queue function's handler as a {@link RabbitMQEvent} shaped like Lambda's
 * (base64 {@code data}, {@code rmqMessagesByQueue} keyed {@code queue::vhost}, string headers as
 * {@code {"bytes": [...]}}), acks the batch when the handler returns and requeues all of it when
 * the handler throws, as Lambda does.
 */
public final class LocalEventSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalEventSource.class);
    private static final DateTimeFormatter LAMBDA_TIMESTAMP = DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final String queue;
    private final String virtualHost;
    private final RequestHandler<RabbitMQEvent, ?> handler;
    private final String functionName;
    private final int batchSize;
    private final Duration window;
    private final Connection connection;
    private final Channel channel;
    private final BlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean running = true;

    public LocalEventSource(ConnectionFactory factory, String queue, RequestHandler<RabbitMQEvent, ?> handler,
                            String functionName, int batchSize, Duration window) throws Exception {
        this.queue = queue;
        this.virtualHost = factory.getVirtualHost();
        this.handler = handler;
        this.functionName = functionName;
        this.batchSize = batchSize;
        this.window = window;
        this.connection = factory.newConnection("event-source-" + queue);
        this.channel = connection.createChannel();
        channel.basicQos(batchSize);
        channel.basicConsume(queue, false, (tag, delivery) -> inbox.add(delivery), tag -> running = false);
        this.worker = new Thread(this::loop, "event-source-" + queue);
        worker.setDaemon(true);
        worker.start();
    }

    private void loop() {
        long backoff = 100;
        while (running) {
            try {
                Delivery first = inbox.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Delivery> batch = new ArrayList<>(List.of(first));
                long deadline = System.nanoTime() + window.toNanos();
                while (batch.size() < batchSize) {
                    long left = deadline - System.nanoTime();
                    Delivery next = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : inbox.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                long lastTag = batch.get(batch.size() - 1).getEnvelope().getDeliveryTag();
                try {
                    handler.handleRequest(toEvent(batch), new LocalLambdaContext(functionName, 300_000));
                    channel.basicAck(lastTag, true);
                    backoff = 100;
                } catch (RuntimeException e) {
                    LOG.warn("{}: invocation failed, the batch of {} is redelivered: {}", functionName, batch.size(), e.getMessage());
                    channel.basicNack(lastTag, true, true);
                    Thread.sleep(backoff); // like Lambda, don't spin on a batch that keeps failing
                    backoff = Math.min(backoff * 2, 5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (running) {
                    LOG.error("{}: event source stopped: {}", functionName, e.toString());
                }
                return;
            }
        }
    }

    RabbitMQEvent toEvent(List<Delivery> deliveries) {
        List<RabbitMQEvent.RabbitMessage> messages = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            AMQP.BasicProperties p = d.getProperties();
            RabbitMQEvent.BasicProperties props = new RabbitMQEvent.BasicProperties();
            props.setContentType(p.getContentType());
            props.setContentEncoding(p.getContentEncoding());
            props.setHeaders(lambdaHeaders(p.getHeaders()));
            props.setDeliveryMode(p.getDeliveryMode() == null ? 1 : p.getDeliveryMode());
            props.setPriority(p.getPriority() == null ? 0 : p.getPriority());
            props.setCorrelationId(p.getCorrelationId());
            props.setReplyTo(p.getReplyTo());
            props.setMessageId(p.getMessageId());
            props.setTimestamp(p.getTimestamp() == null ? null : LAMBDA_TIMESTAMP.format(p.getTimestamp().toInstant()));
            props.setType(p.getType());
            props.setUserId(p.getUserId());
            props.setAppId(p.getAppId());
            props.setClusterId(p.getClusterId());
            props.setBodySize(d.getBody().length);
            RabbitMQEvent.RabbitMessage m = new RabbitMQEvent.RabbitMessage();
            m.setBasicProperties(props);
            m.setRedelivered(d.getEnvelope().isRedeliver());
            m.setData(Base64.getEncoder().encodeToString(d.getBody()));
            messages.add(m);
        }
        RabbitMQEvent event = new RabbitMQEvent();
        event.setEventSource("aws:rmq");
        event.setEventSourceArn("arn:aws:mq:local:000000000000:broker:local:b-local");
        event.setRmqMessagesByQueue(Map.of(queue + "::" + virtualHost, messages));
        return event;
    }

    /** Lambda renders AMQP string headers as {@code {"bytes": [..]}} and keeps numbers as they are. */
    private static Map<String, Object> lambdaHeaders(Map<String, Object> headers) {
        if (headers == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(k, lambdaValue(v)));
        return out;
    }

    private static Object lambdaValue(Object v) {
        if (v instanceof LongString || v instanceof String) {
            byte[] raw = v instanceof LongString ls ? ls.getBytes() : ((String) v).getBytes(StandardCharsets.UTF_8);
            List<Integer> bytes = new ArrayList<>(raw.length);
            for (byte b : raw) {
                bytes.add((int) b);
            }
            return Map.of("bytes", bytes);
        }
        if (v instanceof List<?> list) {
            return list.stream().map(LocalEventSource::lambdaValue).toList();
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put(String.valueOf(k), lambdaValue(x)));
            return out;
        }
        if (v instanceof java.util.Date date) {
            return date.getTime();
        }
        return v;
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close(2_000);
        } catch (Exception ignored) {
            // unacked deliveries return to the queue when the connection closes
        }
    }
}
