package realty.audit;

import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.ApplicationContext;
import io.micronaut.crac.test.CheckpointSimulator;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.broker.BrokerConnection;
import realty.core.consumer.QueueFunctionPriming;
import realty.core.event.EventType;
import realty.core.id.SnapshotUniqueness;
import realty.core.topology.Topology;
import realty.core.topology.TopologyDeclarer;
import realty.localinfra.FunctionTestProperties;
import realty.localinfra.RabbitMQEvents;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SnapStart checkpoint of the audit function as micronaut-crac runs it (every registered resource,
 * in reverse order of registration), on the real database and broker: priming decodes an envelope of
 * every event type of the queue without writing a row, the pool and the broker connection are closed
 * when the snapshot would be taken, and after the restore the function handles a batch, which needs
 * both again.
 */
@MicronautTest(environments = Topology.AUDIT, startApplication = false, transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditSnapStartPrimingTest implements TestPropertyProvider {
    @Inject
    ApplicationContext ctx;
    @Inject
    DataSource dataSource;
    @Inject
    CheckpointSimulator checkpoint;
    @Inject
    AuditSnapStartPriming priming;
    @Inject
    BrokerConnection broker;
    @Inject
    Topology topology;

    private Map<String, String> properties;

    @Override
    public Map<String, String> getProperties() {
        if (properties == null) {
            Map<String, String> p = new HashMap<>(FunctionTestProperties.withNewVirtualHost("audit-snapstart"));
            properties = p;
        }
        return properties;
    }

    @BeforeAll
    void declare() throws Exception {
        ctx.getBean(TopologyDeclarer.class).declare();
    }

    private HikariDataSource pool() {
        return (HikariDataSource) ctx.getBean(DataSourceResolver.class).resolve(dataSource);
    }

    /** Row counts of every table in the public schema, from a connection outside the pool. */
    private Map<String, Long> rowCounts() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        HikariDataSource pool = pool();
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
            ps.setString(1, Topology.AUDIT);
            ps.setObject(2, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void primingBeforeTheSnapshotWritesNothingLeavesNothingOpenAndTheFunctionWorksAfterTheRestore() throws Exception {
        assertNotNull(ctx.getBean(SnapshotUniqueness.class), "ids draw a new salt after every restore");
        // The function as the first batch after INIT finds it: the pool holds a connection, the broker connection is open.
        broker.withChannel(channel -> channel.isOpen());
        try (Connection c = pool().getConnection()) {
            assertTrue(c.isValid(2));
        }
        Map<String, Long> before = rowCounts();
        assertFalse(before.isEmpty(), "the migrated schema has tables");
        long types = Arrays.stream(EventType.values()).filter(t -> topology.queueOfFunction(Topology.AUDIT).receives(t)).count();
        assertTrue(types > 0);

        checkpoint.runBeforeCheckpoint();

        QueueFunctionPriming.Report report = priming.lastReport();
        assertNotNull(report, "priming ran in the checkpoint's hooks");
        assertEquals(types, report.eventTypes(), report.toString());
        assertEquals(types, report.decoded(), "every envelope decoded: " + report);
        assertEquals(types, report.payloadsChecked(), "every payload record read and checked: " + report);
        assertTrue(report.handlerBuilt(), report.toString());
        assertEquals(before, rowCounts(), "priming wrote nothing");
        assertEquals(0, pool().getHikariPoolMXBean().getTotalConnections(), "no pooled connection in the snapshot");
        assertFalse(broker.isConnected(), "no broker connection in the snapshot");

        checkpoint.runAfterRestore();

        // A batch after the restore: its outcome is written (pool reopens) and, the payload being
        // unreadable, the message goes to the dead-letter queue (broker reopens) before the commit counts.
        EventType type = Arrays.stream(EventType.values()).filter(t -> topology.queueOfFunction(Topology.AUDIT).receives(t)).findFirst().orElseThrow();
        UUID id = UUID.randomUUID();
        String envelope = "{\"id\":\"" + id + "\",\"type\":\"" + type.typeName() + "\",\"version\":" + type.version()
                + ",\"occurredAt\":\"2026-01-01T00:00:00Z\",\"actor\":{\"system\":\"test\"},\"aggregate\":{\"type\":\"test\",\"id\":\"" + id
                + "\"},\"payload\":{}}";
        new AuditFunction(ctx).execute(RabbitMQEvents.batch(topology.queueOfFunction(Topology.AUDIT).name(),
                List.of(new RabbitMQEvents.Message(id.toString(), type.typeName(), envelope.getBytes(StandardCharsets.UTF_8)))));
        assertEquals("DEAD", outcome(id), "handled after the restore: recorded and dead-lettered");
        assertTrue(broker.isConnected(), "the broker connection reopened for the dead letter");
    }
}
