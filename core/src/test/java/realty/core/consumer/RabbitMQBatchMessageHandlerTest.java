package realty.core.consumer;

import com.rabbitmq.client.GetResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.SaleCancelled;
import realty.core.topology.Topology;
import realty.core.topology.TopologyDeclarer;
import realty.core.topology.WorkQueue;
import realty.localinfra.FunctionTestProperties;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer loop on the real database and broker: per-message outcomes and hooks, both batch
 * strategies, retries through the delay tiers, the dead-letter queue and the idempotent skip of a
 * redelivered batch.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RabbitMQBatchMessageHandlerTest implements TestPropertyProvider {
    private static final String EFFECTS = "consumer_loop_test_effects";

    @Inject
    ApplicationContext ctx;
    @Inject
    DataSource dataSource;
    @Inject
    Topology topology;

    private WorkQueue queue;
    private final UUID company = UUID.randomUUID();

    /** The pool itself: the injected DataSource hands out connections only inside a transaction. */
    private DataSource db() {
        return ctx.getBean(DataSourceResolver.class).resolve(dataSource);
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(FunctionTestProperties.withNewVirtualHost("consumer-loop"));
        // Long delay tiers: a retried copy stays in its delay queue while the test looks at it.
        p.put("realty.retry.audit.delays", "60s,60s,60s,60s");
        return p;
    }

    @BeforeAll
    void declare() throws Exception {
        ctx.getBean(TopologyDeclarer.class).declare();
        queue = topology.queueOfFunction(Topology.AUDIT);
        try (Connection c = db().getConnection(); PreparedStatement ps = c.prepareStatement(
                "CREATE TABLE IF NOT EXISTS " + EFFECTS + " (event_id uuid PRIMARY KEY)")) {
            ps.execute();
        }
    }

    /** A handler whose effect is one row per event; it fails for the events in {@code failing}. */
    class RowWriter implements EventHandler {
        final Map<UUID, Exception> failing = new HashMap<>();
        final AtomicInteger handleCalls = new AtomicInteger();
        final AtomicInteger afterBatchCalls = new AtomicInteger();
        Runnable afterBatch = () -> { };

        @Override
        public void afterBatch() {
            afterBatchCalls.incrementAndGet();
            afterBatch.run();
        }

        @Override
        public Set<EventType> handledTypes() {
            return Set.of(EventType.USER_CREATED);
        }

        @Override
        public void handle(EventEnvelope event, HandlerContext context) throws Exception {
            handleCalls.incrementAndGet();
            write(context, List.of(event));
            Exception failure = failing.get(event.id());
            if (failure != null) {
                throw failure; // after writing: the row must be rolled back with the failure
            }
        }

        void write(HandlerContext context, List<EventEnvelope> events) throws Exception {
            try (PreparedStatement ps = context.connection().prepareStatement(
                    "INSERT INTO " + EFFECTS + " (event_id) SELECT unnest(?::uuid[])")) {
                ps.setArray(1, context.connection().createArrayOf("uuid", events.stream().map(EventEnvelope::id).toArray()));
                ps.executeUpdate();
            }
        }
    }

    /** The same, able to apply a whole batch in one statement, and repeatable. */
    class BatchRowWriter extends RowWriter implements BatchEventHandler {
        final AtomicInteger batchCalls = new AtomicInteger();

        @Override
        public void handleBatch(List<EventEnvelope> events, HandlerContext context) throws Exception {
            batchCalls.incrementAndGet();
            write(context, events);
            for (EventEnvelope e : events) {
                if (failing.containsKey(e.id())) {
                    throw failing.get(e.id());
                }
            }
        }
    }

    private List<EventEnvelope> events(int n) {
        List<EventEnvelope> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(QueueTestSupport.userCreated(company));
        }
        return events;
    }

    private long effects(EventEnvelope e) throws Exception {
        return count("SELECT count(*) FROM " + EFFECTS + " WHERE event_id = ?", e.id());
    }

    private String outcome(EventEnvelope e) throws Exception {
        try (Connection c = db().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM consumer_outcomes WHERE consumer = 'audit' AND event_id = ?")) {
            ps.setObject(1, e.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private long count(String sql, Object arg) throws Exception {
        try (Connection c = db().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private BatchReport committed(BatchResult result) {
        return assertInstanceOf(BatchResult.Committed.class, result).report();
    }

    @Test
    void everyMessageIsProcessedOnceAndTheSuccessHookSeesEachAfterTheCommit() throws Exception {
        List<EventEnvelope> events = events(3);
        List<String> statusSeenByHook = new CopyOnWriteArrayList<>();
        RabbitMQBatchMessageHandler handler = ctx.getBean(BatchMessageHandlerBuilder.class)
                .withSuccessHandler(o -> {
                    try {
                        statusSeenByHook.add(outcome(o.message().envelope()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .buildWithEventHandler(queue, new RowWriter());

        BatchReport report = committed(handler.processBatch(QueueTestSupport.batch(ctx, queue.name(), events)));

        assertEquals(new BatchReport(3, 3, 0, 0, 0), report);
        for (EventEnvelope e : events) {
            assertEquals(1, effects(e));
            assertEquals(ConsumerOutcomes.PROCESSED, outcome(e));
        }
        assertEquals(List.of("PROCESSED", "PROCESSED", "PROCESSED"), statusSeenByHook);
    }

    @Test
    void theAfterBatchWorkRunsOnceAfterTheCommitAndCannotFailTheBatch() throws Exception {
        List<EventEnvelope> events = events(3);
        List<String> statusSeenAfterBatch = new CopyOnWriteArrayList<>();
        RowWriter writer = new RowWriter();
        writer.afterBatch = () -> {
            try {
                for (EventEnvelope e : events) {
                    statusSeenAfterBatch.add(outcome(e)); // another connection: only committed rows show
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("after-batch work failed");
        };
        RabbitMQBatchMessageHandler handler = ctx.getBean(BatchMessageHandlerBuilder.class).buildWithEventHandler(queue, writer);

        BatchReport report = committed(handler.processBatch(QueueTestSupport.batch(ctx, queue.name(), events)));

        assertEquals(new BatchReport(3, 3, 0, 0, 0), report);
        assertEquals(1, writer.afterBatchCalls.get(), "once per batch, not per event");
        assertEquals(List.of("PROCESSED", "PROCESSED", "PROCESSED"), statusSeenAfterBatch);
    }

    @Test
    void aRedeliveredBatchIsSkippedWithoutRunningTheHandlerAgain() throws Exception {
        List<EventEnvelope> events = events(4);
        RowWriter writer = new RowWriter();
        RabbitMQBatchMessageHandler handler = ctx.getBean(BatchMessageHandlerBuilder.class).buildWithEventHandler(queue, writer);

        committed(handler.processBatch(QueueTestSupport.batch(ctx, queue.name(), events)));
        BatchReport again = committed(handler.processBatch(QueueTestSupport.batch(ctx, queue.name(), events)));

        assertEquals(new BatchReport(4, 0, 4, 0, 0), again);
        assertEquals(4, writer.handleCalls.get());
        for (EventEnvelope e : events) {
            assertEquals(1, effects(e));
        }
    }

    @Test
    void aFailingMessageIsUndoneAloneAndRepublishedToItsFirstDelayTier() throws Exception {
        List<EventEnvelope> events = events(3);
        EventEnvelope bad = events.get(1);
        RowWriter writer = new RowWriter();
        writer.failing.put(bad.id(), new IllegalStateException("store unavailable"));
        List<MessageOutcome> failures = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        RabbitMQBatchMessageHandler handler = ctx.getBean(BatchMessageHandlerBuilder.class)
                .withFailureHandler((o, e) -> {
                    failures.add(o);
                    errors.add(e);
                })
                .buildWithEventHandler(queue, writer);

        BatchReport report = committed(handler.processBatch(QueueTestSupport.batch(ctx, queue.name(), events)));

        assertEquals(new BatchReport(3, 2, 0, 1, 0), report);
        assertEquals(1, effects(events.get(0)));
        assertEquals(0, effects(bad));
        assertEquals(1, effects(events.get(2)));
        assertEquals(ConsumerOutcomes.RETRYING, outcome(bad));
        assertEquals(1, failures.size());
        assertEquals(bad.id(), failures.get(0).message().envelope().id());
        assertSame(writer.failing.get(bad.id()), errors.get(0));

        List<GetResponse> tier1 = QueueTestSupport.drain(ctx, queue.retryQueue(1));
        assertEquals(1, tier1.size());
        assertTrue(new String(tier1.get(0).getBody(), StandardCharsets.UTF_8).contains(bad.id().toString()));
        assertEquals("2", QueueTestSupport.header(tier1.get(0), ReceivedMessage.ATTEMPT_HEADER));
    }

    @Test
    void aPermanentFailureGoesStraightToTheDeadLetterQueue() throws Exception {
        EventEnvelope bad = events(1).get(0);
        RowWriter writer = new RowWriter();
        writer.failing.put(bad.id(), new PermanentFailureException("no such user"));
        RabbitMQBatchMessageHandler handler = ctx.getBean(BatchMessageHandlerBuilder.class).buildWithEventHandler(queue, writer);

        BatchReport report = committed(handler.processBatch(QueueTestSupport.batch(ctx, queue.name(), List.of(bad))));

        assertEquals(new BatchReport(1, 0, 0, 0, 1), report);
        assertEquals(ConsumerOutcomes.DEAD, outcome(bad));
        List<GetResponse> dead = QueueTestSupport.drain(ctx, queue.deadLetterQueue());
        assertEquals(1, dead.size());
        assertEquals("permanent", QueueTestSupport.header(dead.get(0), "x-failure-kind"));
        assertEquals(PermanentFailureException.class.getName(), QueueTestSupport.header(dead.get(0), "x-exception-class"));
    }

    @Test
    void anUndecodableMessageIsDeadLetteredWithoutReachingTheHandler() throws Exception {
        RowWriter writer = new RowWriter();
        RabbitMQBatchMessageHandler handler = ctx.getBean(BatchMessageHandlerBuilder.class).buildWithEventHandler(queue, writer);

        BatchReport report = committed(handler.processBatch(QueueTestSupport.rawBatch(queue.name(),
                List.of("not json".getBytes(StandardCharsets.UTF_8)))));

        assertEquals(new BatchReport(1, 0, 0, 0, 1), report);
        assertEquals(0, writer.handleCalls.get());
        List<GetResponse> dead = QueueTestSupport.drain(ctx, queue.deadLetterQueue());
        assertEquals(1, dead.size());
        assertEquals("realty.core.consumer.UndecodableMessage", QueueTestSupport.header(dead.get(0), "x-exception-class"));
    }

    @Test
    void theWholeBatchStrategyAppliesASuccessfulBatchInOneCall() throws Exception {
        List<EventEnvelope> events = events(5);
        BatchRowWriter writer = new BatchRowWriter();
        assertSame(BatchStrategy.wholeBatchFirst(), BatchStrategy.forHandler(writer));
        RabbitMQBatchMessageHandler handler = ctx.getBean(BatchMessageHandlerBuilder.class).buildWithEventHandler(queue, writer);

        BatchReport report = committed(handler.processBatch(QueueTestSupport.batch(ctx, queue.name(), events)));

        assertEquals(new BatchReport(5, 5, 0, 0, 0), report);
        assertEquals(1, writer.batchCalls.get());
        assertEquals(0, writer.handleCalls.get());
        for (EventEnvelope e : events) {
            assertEquals(1, effects(e));
        }
    }

    @Test
    void theWholeBatchStrategyUndoesAFailedBatchAndIsolatesTheFailureMessageByMessage() throws Exception {
        List<EventEnvelope> events = events(4);
        EventEnvelope bad = events.get(2);
        BatchRowWriter writer = new BatchRowWriter();
        writer.failing.put(bad.id(), new IllegalStateException("one bad row"));
        RabbitMQBatchMessageHandler handler = ctx.getBean(BatchMessageHandlerBuilder.class).buildWithEventHandler(queue, writer);

        BatchReport report = committed(handler.processBatch(QueueTestSupport.batch(ctx, queue.name(), events)));

        assertEquals(new BatchReport(4, 3, 0, 1, 0), report);
        assertEquals(1, writer.batchCalls.get());
        assertEquals(4, writer.handleCalls.get());
        for (EventEnvelope e : events) {
            // The optimistic pass's rows were rolled back: each good event has exactly one row, the bad none.
            assertEquals(e == bad ? 0 : 1, effects(e));
        }
        assertEquals(1, QueueTestSupport.drain(ctx, queue.retryQueue(1)).size());
    }

    @Test
    void thePerMessageStrategyIsTheDefaultForAHandlerThatCannotBeUndone() {
        assertSame(BatchStrategy.perMessage(), BatchStrategy.forHandler(new RowWriter()));
    }

    @Test
    void anEventTypeTheHandlerDoesNotTakeIsDeadLetteredAsPermanent() throws Exception {
        EventEnvelope other = EventEnvelope.create(EventType.SALE_CANCELLED, company, Actor.system("test"),
                null, null, new AggregateRef("sale", UUID.randomUUID().toString()),
                new SaleCancelled(UUID.randomUUID(), UUID.randomUUID(), List.of(), List.of()));
        RowWriter writer = new RowWriter();
        RabbitMQBatchMessageHandler handler = ctx.getBean(BatchMessageHandlerBuilder.class).buildWithEventHandler(queue, writer);

        BatchReport report = committed(handler.processBatch(QueueTestSupport.batch(ctx, queue.name(), List.of(other))));

        assertEquals(new BatchReport(1, 0, 0, 0, 1), report);
        assertEquals(0, writer.handleCalls.get());
        assertEquals(ConsumerOutcomes.DEAD, outcome(other));
        assertEquals(1, QueueTestSupport.drain(ctx, queue.deadLetterQueue()).size());
    }

    @Test
    void failuresThatCannotBeRepublishedMakeTheWholeBatchComeBack() throws Exception {
        Map<String, Object> props = new HashMap<>(getProperties());
        props.put("flyway.datasources.default.enabled", "false");
        props.put("realty.broker.uri", "amqp://127.0.0.1:" + deadPort());
        EventEnvelope bad = events(1).get(0);
        RowWriter writer = new RowWriter();
        writer.failing.put(bad.id(), new IllegalStateException("fails"));
        List<BatchResult.Redeliver> redeliveries = new CopyOnWriteArrayList<>();
        try (ApplicationContext noBroker = ApplicationContext.run(props)) {
            RabbitMQBatchMessageHandler handler = noBroker.getBean(BatchMessageHandlerBuilder.class)
                    .withListener(new ConsumerListener() {
                        @Override
                        public void onMessage(WorkQueue q, MessageOutcome o, boolean coldStart) {
                            throw new AssertionError("no outcome may be reported for a batch that comes back");
                        }

                        @Override
                        public void onRedelivery(WorkQueue q, BatchResult.Redeliver r) {
                            redeliveries.add(r);
                        }
                    })
                    .buildWithEventHandler(queue, writer);

            BatchResult result = handler.processBatch(QueueTestSupport.batch(noBroker, queue.name(), List.of(bad)));

            assertInstanceOf(BatchResult.Redeliver.class, result);
            assertEquals(List.of(result), redeliveries);
            assertEquals(0, writer.afterBatchCalls.get(), "no after-batch work for a batch that comes back");
        }
        // Redelivered once the broker answers, it is handled again: nothing was lost.
        writer.failing.clear();
        RabbitMQBatchMessageHandler handler = ctx.getBean(BatchMessageHandlerBuilder.class).buildWithEventHandler(queue, writer);
        assertEquals(new BatchReport(1, 1, 0, 0, 0),
                committed(handler.processBatch(QueueTestSupport.batch(ctx, queue.name(), List.of(bad)))));
        assertEquals(1, effects(bad));
    }

    /**
     * The batch's statements may run on kept generic plans (GenericPlans, SET LOCAL inside the batch's
     * transaction); the pooled connection comes back with the safe default, a custom plan at every execution.
     */
    @Test
    void theBatchRunsOnKeptPlansAndTheConnectionGoesBackToCustomPlans() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        RowWriter writer = new RowWriter() {
            @Override
            public void handle(EventEnvelope event, HandlerContext context) throws Exception {
                seen.add(planCacheMode(context.connection()));
                super.handle(event, context);
            }
        };
        RabbitMQBatchMessageHandler handler = ctx.getBean(BatchMessageHandlerBuilder.class).buildWithEventHandler(queue, writer);

        assertEquals(new BatchReport(2, 2, 0, 0, 0), committed(handler.processBatch(QueueTestSupport.batch(ctx, queue.name(), events(2)))));

        assertEquals(List.of("auto", "auto"), seen);
        for (int i = 0; i < 3; i++) { // the pool's connections, the batch's one among them
            try (Connection c = db().getConnection()) {
                assertEquals("force_custom_plan", planCacheMode(c));
            }
        }
    }

    /** A handler that asks for forced generic plans gets them for its batch only. */
    @Test
    void aHandlerCheckedForGenericPlansRunsItsBatchOnForcedGenericPlans() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        RowWriter writer = new RowWriter() {
            @Override
            public boolean forcesGenericPlans() {
                return true;
            }

            @Override
            public void handle(EventEnvelope event, HandlerContext context) throws Exception {
                seen.add(planCacheMode(context.connection()) + ", parallel workers " + setting(context.connection(), "max_parallel_workers_per_gather"));
                super.handle(event, context);
            }
        };
        RabbitMQBatchMessageHandler handler = ctx.getBean(BatchMessageHandlerBuilder.class).buildWithEventHandler(queue, writer);
        String parallelDefault;
        try (Connection c = db().getConnection()) {
            parallelDefault = setting(c, "max_parallel_workers_per_gather");
        }

        assertEquals(new BatchReport(2, 2, 0, 0, 0), committed(handler.processBatch(QueueTestSupport.batch(ctx, queue.name(), events(2)))));

        assertEquals(List.of("force_generic_plan, parallel workers 0", "force_generic_plan, parallel workers 0"), seen);
        for (int i = 0; i < 3; i++) {
            try (Connection c = db().getConnection()) {
                assertEquals("force_custom_plan", planCacheMode(c));
                assertEquals(parallelDefault, setting(c, "max_parallel_workers_per_gather"));
            }
        }
    }

    private static String setting(Connection c, String name) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_setting(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static String planCacheMode(Connection c) throws Exception {
        return setting(c, "plan_cache_mode");
    }

    private static int deadPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
