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
 *
 * <p>It reads ahead: the channel's prefetch is two batches, so the next batch is already here when
 * the handler returns, as with Lambda's poller, which is a resource of its own that "reads messages
 * from your broker and invokes the function synchronously" (AWS Lambda Developer Guide, "Using
 * Lambda with Amazon MQ"), one invocation at a time per mapping. With a prefetch of one batch the
 * handler waited, after every ack, for the broker to send the next batch: the audit function was
 * busy only 60 % of a backlog's drain (docs/benchmarks.md, issue 16).
 *
 * <p>Like the managed event source, it outlives broker outages: when its channel or connection dies
 * (a broker restart, a network cut, an ack that meets a closed channel) it drops the deliveries of
 * the dead channel, which the broker redelivers, and reconnects with back-off. It owns that
 * lifecycle itself, without the client's automatic recovery, which would re-subscribe a consumer
 * behind the worker's back.
 *
 * <p>Raw amqp-client, not micronaut-rabbitmq's {@code @RabbitListener}: it stands in for Lambda's event
 * source (outside the functions, which must start no consumer) and acks or requeues whole batches.
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
    private final ConnectionFactory factory;
    private final BlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean running = true;
    /** The subscription the worker serves; replaced after a failure. Only the worker assigns it. */
    private volatile Connection connection;
    private volatile Channel channel;
    /** Set by the broker's cancel notification (queue deleted, node failover): subscribe again. */
    private volatile boolean cancelled;

    public LocalEventSource(ConnectionFactory factory, String queue, RequestHandler<RabbitMQEvent, ?> handler,
                            String functionName, int batchSize, Duration window) throws Exception {
        this.queue = queue;
        this.virtualHost = factory.getVirtualHost();
        this.handler = handler;
        this.functionName = functionName;
        this.batchSize = batchSize;
        this.window = window;
        this.factory = factory.clone();
        this.factory.setAutomaticRecoveryEnabled(false);
        subscribe(); // fail fast at start-up, as before
        this.worker = new Thread(this::loop, "event-source-" + queue);
        worker.setDaemon(true);
        worker.start();
    }

    private void subscribe() throws Exception {
        inbox.clear(); // deliveries of a dead channel cannot be acked; the broker redelivers them
        Connection c = factory.newConnection("event-source-" + queue);
        try {
            Channel ch = c.createChannel();
            ch.basicQos(prefetch(batchSize));
            cancelled = false;
            ch.basicConsume(queue, false, (tag, delivery) -> inbox.add(delivery), tag -> cancelled = true);
            connection = c;
            channel = ch;
        } catch (Exception e) {
            abort(c);
            throw e;
        }
    }

    /** Two batches in flight (read-ahead), within AMQP's 16-bit prefetch count. */
    static int prefetch(int batchSize) {
        return Math.min(2 * batchSize, 65_535);
    }

    private boolean subscribed() {
        Channel ch = channel;
        return ch != null && ch.isOpen() && !cancelled;
    }

    private void loop() {
        long backoff = 100;
        long reconnectBackoff = 200;
        while (running) {
            try {
                if (!subscribed()) {
                    abort(connection);
                    channel = null;
                    subscribe();
                    LOG.info("{}: consuming {} again", functionName, queue);
                    reconnectBackoff = 200;
                }
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
                Channel ch = channel;
                long lastTag = batch.get(batch.size() - 1).getEnvelope().getDeliveryTag();
                try {
                    handler.handleRequest(toEvent(batch), new LocalLambdaContext(functionName, 300_000));
                    ch.basicAck(lastTag, true);
                    backoff = 100;
                } catch (RuntimeException e) {
                    if (!ch.isOpen()) {
                        throw e; // the ack itself failed: the subscription is gone, see below
                    }
                    LOG.warn("{}: invocation failed, the batch of {} is redelivered: {}", functionName, batch.size(), e.getMessage());
                    // What was read ahead goes back too, so the batch comes back in its place, not after
                    // the read-ahead: every tag up to the last one received is ours and unacked.
                    List<Delivery> readAhead = new ArrayList<>();
                    inbox.drainTo(readAhead);
                    long upTo = readAhead.isEmpty() ? lastTag : readAhead.get(readAhead.size() - 1).getEnvelope().getDeliveryTag();
                    ch.basicNack(upTo, true, true);
                    Thread.sleep(backoff); // like Lambda, don't spin on a batch that keeps failing
                    backoff = Math.min(backoff * 2, 5_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                // The channel or connection died (broker restart, network cut): the unacked batch goes
                // back to the queue with the channel; subscribe again once the broker answers.
                LOG.warn("{}: lost the subscription to {} ({}); reconnecting in {} ms", functionName, queue, e.toString(),
                        reconnectBackoff);
                channel = null;
                try {
                    Thread.sleep(reconnectBackoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                reconnectBackoff = Math.min(reconnectBackoff * 2, 5_000);
            }
        }
    }

    private static void abort(Connection c) {
        if (c != null) {
            try {
                c.abort(1_000);
            } catch (Exception ignored) {
                // gone either way
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
        Connection c = connection;
        if (c != null) {
            try {
                c.close(2_000);
            } catch (Exception ignored) {
                // unacked deliveries return to the queue when the connection closes
            }
        }
    }
}
