package realty.core.broker;

import com.rabbitmq.client.Channel;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.id.TimeOrderedIds;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared confirm channel against the local broker: concurrent publishers each get their own
 * confirm, and a message the broker refuses fails only its own publisher.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventPublisherConfirmTest {
    private final String queue = "confirm-test-" + TimeOrderedIds.next();
    /** A queue that holds nothing and refuses what is routed to it: the broker nacks those publishes. */
    private final String refusing = "confirm-test-refusing-" + TimeOrderedIds.next();
    private ApplicationContext context;
    private BrokerConnection broker;
    private EventPublisher publisher;

    @BeforeAll
    void start() throws Exception {
        context = ApplicationContext.run(BrokerConnectionTest.withoutDatabase(
                "realty.broker.uri", "amqp://127.0.0.1:5672", "realty.broker.virtual-host", "/",
                "realty.broker.username", "guest", "realty.broker.password", "guest"));
        broker = context.getBean(BrokerConnection.class);
        publisher = context.getBean(EventPublisher.class);
        broker.withChannel(ch -> {
            ch.queueDeclare(queue, true, false, false, null);
            ch.queueDeclare(refusing, true, false, false, Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
            return null;
        });
    }

    @AfterAll
    void stop() throws Exception {
        broker.withChannel(ch -> {
            ch.queueDelete(queue);
            ch.queueDelete(refusing);
            return null;
        });
        context.close();
    }

    private static OutgoingMessage to(String queue, String body) {
        return new OutgoingMessage("", queue, TimeOrderedIds.next().toString(), "test", 0, null, Instant.now(), Map.of(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private long depth(String q) throws Exception {
        return broker.withChannel(ch -> ch.queueDeclarePassive(q).getMessageCount());
    }

    @Test
    void concurrentPublishersAreEachConfirmedOnOneChannel() throws Exception {
        long before = depth(queue);
        int threads = 16;
        int each = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                runs.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        // Some single messages, some pairs: a pair is confirmed as a whole.
                        if (i % 5 == 0) {
                            publisher.publishConfirmed(List.of(to(queue, thread + "-" + i + "a"), to(queue, thread + "-" + i + "b")));
                        } else {
                            publisher.publishConfirmed(List.of(to(queue, thread + "-" + i)));
                        }
                    }
                    return each + each / 5;
                }));
            }
            go.countDown();
            int sent = 0;
            for (Future<Integer> run : runs) {
                sent += run.get(); // throws if any publish was not confirmed
            }
            // Confirmed means the broker has them: every one is in the queue when the last call returned.
            assertEquals(before + sent, depth(queue));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRefusedMessageFailsItsOwnPublisherAndTheChannelGoesOnConfirmingOthers() throws Exception {
        long before = depth(queue);
        BrokerUnavailableException e = assertThrows(BrokerUnavailableException.class,
                () -> publisher.publishConfirmed(List.of(to(refusing, "refused"))));
        assertTrue(e.getMessage().contains("nack"), e.getMessage());
        // A batch with one refused message is refused as a whole (its caller keeps all of it pending).
        assertThrows(BrokerUnavailableException.class,
                () -> publisher.publishConfirmed(List.of(to(queue, "accepted"), to(refusing, "refused"))));
        publisher.publishConfirmed(List.of(to(queue, "after the nack")));
        assertEquals(before + 2, depth(queue));
        assertEquals(0, depth(refusing));
    }
}
