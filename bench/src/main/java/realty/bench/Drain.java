package realty.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import realty.core.event.EventCodec;
import realty.core.event.EventEnvelope;
import realty.local.LocalEventSource;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Drains a backlog waiting in a work queue through a production queue-function handler fed by a
 * {@link LocalEventSource}, and knows it is done by counting the messages of the batches the
 * handler returned from (the event source acks each batch right after), not by querying the
 * database it measures: polling {@code count(*)} every 50 ms was itself a load on PostgreSQL.
 */
final class Drain {
    private Drain() {
    }

    /** What one drain took. {@code handled} counts messages of batches the handler returned from. */
    record Result(int events, double seconds, long busyNanos, long invocations, long handled) {
        double rate() {
            return events / seconds;
        }

        String describe() {
            return String.format("%,d", events) + " events drained in " + Stats.num(seconds) + " s = " + Stats.num(rate())
                    + " events/s; the handler was busy " + Stats.num(busyNanos / 1e9 / seconds * 100) + " % of that, "
                    + invocations + " invocations of " + Stats.ms(busyNanos / 1e6 / Math.max(1, invocations)) + " ("
                    + Stats.num(busyNanos / 1e3 / events) + " µs per event)";
        }
    }

    /**
     * Starts an event source on {@code queue}, waits until the handler has returned from batches
     * holding {@code n} messages (checked every 10 ms in this JVM), and stops it.
     */
    static Result run(Infra infra, String vhost, String queue, RequestHandler<RabbitMQEvent, ?> handler, String functionName,
                      int batchSize, int n, long timeoutMillis) throws Exception {
        AtomicLong busy = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        AtomicLong handled = new AtomicLong();
        RequestHandler<RabbitMQEvent, Object> counting = (event, context) -> {
            long t = System.nanoTime();
            Object out;
            try {
                out = handler.handleRequest(event, context);
            } finally {
                busy.addAndGet(System.nanoTime() - t);
                batches.incrementAndGet();
            }
            // only a batch the handler returned from is acked; a throwing one is requeued and comes again
            handled.addAndGet(messages(event));
            return out;
        };
        long start = System.nanoTime();
        long end;
        try (LocalEventSource source = new LocalEventSource(infra.amqp(vhost), queue, counting, functionName, batchSize,
                Duration.ofMillis(20))) {
            boolean done = Stats.await(timeoutMillis, 10, () -> handled.get() >= n);
            end = System.nanoTime();
            if (!done) {
                throw new IllegalStateException("drain of " + n + " from " + queue + " did not finish within "
                        + timeoutMillis / 1000 + " s (" + handled.get() + " handled)");
            }
        }
        return new Result(n, (end - start) / 1e9, busy.get(), batches.get(), handled.get());
    }

    private static long messages(RabbitMQEvent event) {
        long n = 0;
        if (event.getRmqMessagesByQueue() != null) {
            for (List<RabbitMQEvent.RabbitMessage> l : event.getRmqMessagesByQueue().values()) {
                n += l.size();
            }
        }
        return n;
    }

    /**
     * Publishes n envelopes straight into {@code queue} (default exchange), with confirms, 500 in
     * flight, as the API's publisher would route them; returns the seconds it took.
     */
    static double publish(Connection amqp, EventCodec codec, String queue, int n, String correlation, IntFunction<EventEnvelope> make)
            throws Exception {
        long t0 = System.nanoTime();
        try (Channel ch = amqp.createChannel()) {
            ch.confirmSelect();
            for (int i = 0; i < n; i++) {
                EventEnvelope e = make.apply(i);
                AMQP.BasicProperties props = MessageProperties.PERSISTENT_BASIC.builder()
                        .contentType("application/json")
                        .messageId(e.id().toString())
                        .type(e.type())
                        .priority(e.eventType().priority())
                        .correlationId(correlation)
                        .timestamp(Date.from(e.occurredAt()))
                        .build();
                ch.basicPublish("", queue, false, props, codec.encode(e));
                if ((i + 1) % 500 == 0) {
                    ch.waitForConfirmsOrDie(60_000);
                }
            }
            ch.waitForConfirmsOrDie(60_000);
            long ready = ch.queueDeclarePassive(queue).getMessageCount();
            if (ready < n) {
                throw new IllegalStateException(queue + " holds " + ready + " messages, expected " + n);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Empties a queue (events another function emitted, or the API's, that this drain must not count). */
    static long purge(Connection amqp, String queue) throws Exception {
        try (Channel ch = amqp.createChannel()) {
            return ch.queuePurge(queue).getMessageCount();
        }
    }
}
