package realty.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import realty.localinfra.LocalRabbitMq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local event source against the real broker: it reads one batch ahead while the handler works
 * (the prefetch is two batches), and a failed batch comes back before what was read ahead.
 */
class LocalEventSourceTest {
    private static final String QUEUE = "work";
    private static final int BATCH = 10;

    private final LocalRabbitMq rabbit = LocalRabbitMq.shared();
    private final String vhost = "test-source-" + UUID.randomUUID();
    private ConnectionFactory factory;
    private Connection connection;
    private Channel channel;

    @BeforeEach
    void queueWithThirtyMessages() throws Exception {
        rabbit.createVirtualHost(vhost);
        factory = new ConnectionFactory();
        factory.setHost(rabbit.host());
        factory.setPort(rabbit.port());
        factory.setUsername(rabbit.username());
        factory.setPassword(rabbit.password());
        factory.setVirtualHost(vhost);
        connection = factory.newConnection("test-source");
        channel = connection.createChannel();
        channel.queueDeclare(QUEUE, true, false, false, null);
        channel.confirmSelect();
        for (int i = 0; i < 30; i++) {
            channel.basicPublish("", QUEUE, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                    ("m" + i).getBytes(StandardCharsets.UTF_8));
        }
        channel.waitForConfirmsOrDie(10_000);
    }

    @AfterEach
    void deleteVirtualHost() throws Exception {
        connection.close();
        rabbit.deleteVirtualHost(vhost);
    }

    /** Records each invocation's message bodies; the first invocation waits for {@code firstMayReturn}. */
    private static final class Recorder implements RequestHandler<RabbitMQEvent, Void> {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch firstMayReturn = new CountDownLatch(1);
        final boolean failFirst;

        Recorder(boolean failFirst) {
            this.failFirst = failFirst;
        }

        @Override
        public Void handleRequest(RabbitMQEvent event, Context context) {
            List<String> bodies = new ArrayList<>();
            event.getRmqMessagesByQueue().values().forEach(ms -> ms.forEach(m ->
                    bodies.add(new String(Base64.getDecoder().decode(m.getData()), StandardCharsets.UTF_8))));
            boolean first = batches.isEmpty();
            batches.add(bodies);
            if (first) {
                firstStarted.countDown();
                try {
                    assertTrue(firstMayReturn.await(20, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (failFirst) {
                    throw new IllegalStateException("the database is unreachable (test)");
                }
            }
            return null;
        }
    }

    private long ready() throws Exception {
        return channel.queueDeclarePassive(QUEUE).getMessageCount();
    }

    /** While the first batch is in the handler, the next one has left the queue for the event source. */
    private void awaitReadAhead(Recorder handler) throws Exception {
        assertTrue(handler.firstStarted.await(20, TimeUnit.SECONDS), "the handler was never invoked");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ready() > 30 - 2 * BATCH && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(30 - 2 * BATCH, ready(), "one batch in the handler and one read ahead, the rest still in the queue");
    }

    private static List<String> bodies(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "m" + i).toList();
    }

    private static void awaitBatches(Recorder handler, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (handler.batches.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void theNextBatchIsReadAheadWhileTheHandlerWorksAndEveryMessageIsHandledOnceInOrder() throws Exception {
        Recorder handler = new Recorder(false);
        try (LocalEventSource source = new LocalEventSource(factory, QUEUE, handler, "test-function", BATCH, Duration.ofMillis(200))) {
            awaitReadAhead(handler);
            handler.firstMayReturn.countDown();
            awaitBatches(handler, 3);
            assertEquals(List.of(bodies(0, 10), bodies(10, 20), bodies(20, 30)), handler.batches);
            Thread.sleep(300);
            assertEquals(3, handler.batches.size(), "nothing handled twice");
            assertEquals(0, ready());
        }
    }

    @Test
    void aFailedBatchComesBackWholeBeforeWhatWasReadAhead() throws Exception {
        Recorder handler = new Recorder(true);
        try (LocalEventSource source = new LocalEventSource(factory, QUEUE, handler, "test-function", BATCH, Duration.ofMillis(200))) {
            awaitReadAhead(handler);
            handler.firstMayReturn.countDown();
            awaitBatches(handler, 4);
            assertEquals(List.of(bodies(0, 10), bodies(0, 10), bodies(10, 20), bodies(20, 30)), handler.batches,
                    "the failed batch is handed over again first, then the rest in order");
        }
    }

    @Test
    void thePrefetchIsTwoBatchesWithinAmqpsLimit() {
        assertEquals(200, LocalEventSource.prefetch(100));
        assertEquals(65_535, LocalEventSource.prefetch(40_000));
    }
}
