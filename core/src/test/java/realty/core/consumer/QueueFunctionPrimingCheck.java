package realty.core.consumer;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.ApplicationContext;
import io.micronaut.crac.test.CheckpointSimulator;
import io.micronaut.jdbc.DataSourceResolver;
import realty.core.broker.BrokerConnection;
import realty.core.event.EventType;
import realty.core.id.SnapshotUniqueness;
import realty.core.topology.Topology;
import realty.localinfra.RabbitMQEvents;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SnapStart checkpoint of one queue function as micronaut-crac runs it (every registered resource,
 * in reverse order of registration), on the real database and broker, shared by the audit, commission
 * and notification functions' priming tests (core's test jar): priming decodes an envelope of every
 * event type of the queue without writing a row, the pool and the broker connection are closed when the
 * snapshot would be taken, and after the restore the function handles a batch, which needs both again.
 */
public final class QueueFunctionPrimingCheck {
    private final ApplicationContext ctx;
    private final String function;

    /**
     * @param ctx      the function's context (its environment being {@code function})
     * @param function the function's name, e.g. {@link Topology#AUDIT}
     */
    public QueueFunctionPrimingCheck(ApplicationContext ctx, String function) {
        this.ctx = ctx;
        this.function = function;
    }

    /**
     * Runs the checkpoint and the restore and asserts what is said above.
     *
     * @param priming the function's priming resource
     * @param handler the function's handler, called with one batch after the restore
     */
    public void primeCheckpointAndRestore(QueueFunctionPriming priming, Consumer<RabbitMQEvent> handler) throws Exception {
        Topology topology = ctx.getBean(Topology.class);
        BrokerConnection broker = ctx.getBean(BrokerConnection.class);
        assertNotNull(ctx.getBean(SnapshotUniqueness.class), "ids draw a new salt after every restore");
        // The function as the first batch after INIT finds it: the pool holds a connection, the broker connection is open.
        broker.withChannel(channel -> channel.isOpen());
        try (Connection c = pool().getConnection()) {
            assertTrue(c.isValid(2));
        }
        Map<String, Long> before = rowCounts();
        assertFalse(before.isEmpty(), "the migrated schema has tables");
        List<EventType> types = Arrays.stream(EventType.values()).filter(t -> topology.queueOfFunction(function).receives(t)).toList();
        assertFalse(types.isEmpty());

        ctx.getBean(CheckpointSimulator.class).runBeforeCheckpoint();

        QueueFunctionPriming.Report report = priming.lastReport();
        assertNotNull(report, "priming ran in the checkpoint's hooks");
        assertEquals(types.size(), report.eventTypes(), report.toString());
        assertEquals(types.size(), report.decoded(), "every envelope decoded: " + report);
        assertEquals(types.size(), report.payloadsChecked(), "every payload record read and checked: " + report);
        assertTrue(report.handlerBuilt(), report.toString());
        assertEquals(before, rowCounts(), "priming wrote nothing");
        assertEquals(0, pool().getHikariPoolMXBean().getTotalConnections(), "no pooled connection in the snapshot");
        assertFalse(broker.isConnected(), "no broker connection in the snapshot");

        ctx.getBean(CheckpointSimulator.class).runAfterRestore();

        // A batch after the restore: its outcome is written (pool reopens) and, the payload being
        // unreadable, the message goes to the dead-letter queue (broker reopens) before the commit counts.
        EventType type = types.get(0);
        UUID id = UUID.randomUUID();
        String envelope = "{\"id\":\"" + id + "\",\"type\":\"" + type.typeName() + "\",\"version\":" + type.version()
                + ",\"occurredAt\":\"2026-01-01T00:00:00Z\",\"actor\":{\"system\":\"test\"},\"aggregate\":{\"type\":\"test\",\"id\":\"" + id
                + "\"},\"payload\":{}}";
        handler.accept(RabbitMQEvents.batch(topology.queueOfFunction(function).name(),
                List.of(new RabbitMQEvents.Message(id.toString(), type.typeName(), envelope.getBytes(StandardCharsets.UTF_8)))));
        assertEquals("DEAD", outcome(id), "handled after the restore: recorded and dead-lettered");
        assertTrue(broker.isConnected(), "the broker connection reopened for the dead letter");
    }

    private HikariDataSource pool() {
        return (HikariDataSource) ctx.getBean(DataSourceResolver.class).resolve(ctx.getBean(DataSource.class));
    }

    private Map<String, Long> rowCounts() throws Exception {
        return rowCounts(pool());
    }

    /** @return row counts of every table in the public schema, from a connection outside {@code pool} */
    public static Map<String, Long> rowCounts(HikariDataSource pool) throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = java.sql.DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
             Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + t + "\"")) {
                    rs.next();
                    counts.put(t, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private String outcome(UUID eventId) throws Exception {
        try (Connection c = pool().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status FROM consumer_outcomes WHERE consumer = ? AND event_id = ?")) {
            ps.setString(1, function);
            ps.setObject(2, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
