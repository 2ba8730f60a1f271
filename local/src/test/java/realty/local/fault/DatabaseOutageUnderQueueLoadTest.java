package realty.local.fault;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import realty.core.topology.Topology;
import realty.local.TestSystem;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The database goes away while the queue functions work through a backlog (targets.md R2): cut
 * (connections dropped, new ones refused) or frozen (connections open, nothing answers). Batches
 * fail and are redelivered; once the database is back every event is processed by audit and
 * notification, and none twice in effect: one audit row and one welcome e-mail per user.
 */
class DatabaseOutageUnderQueueLoadTest {
    private static final int USERS = 30;
    private FaultyLink link;
    private TestSystem t;

    @AfterEach
    void stop() throws Exception {
        if (link != null) {
            link.thaw();
            link.restore();
        }
        if (t != null) {
            t.close();
        }
        if (link != null) {
            link.close();
        }
    }

    private List<UUID> backlog() throws Exception {
        URI db = URI.create(realty.localinfra.LocalPostgres.shared().jdbcUrl().substring("jdbc:".length()));
        link = new FaultyLink(db.getHost(), db.getPort());
        String proxied = realty.localinfra.LocalPostgres.shared().jdbcUrl()
                .replace(db.getHost() + ":" + db.getPort(), "127.0.0.1:" + link.port());
        t = new TestSystem(proxied, -1, Map.of(), Map.of("datasources.default.connection-timeout", 1500), true);
        String admin = t.adminToken();
        String company = t.createCompany(admin, "Queue Load Agency");
        t.system.stopEventSources(); // the events wait in their queues
        List<UUID> events = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            events.add(t.expect(201, t.createUser(admin, TestSystem.email("load"), List.of("agent"), List.of(company)))
                    .event("user.created"));
        }
        return events;
    }

    private long processed(String consumer, List<UUID> events) throws Exception {
        return t.count("SELECT count(*) FROM consumer_outcomes WHERE consumer = ? AND status = 'PROCESSED' "
                + "AND event_id = ANY(?::uuid[])", consumer, array(events));
    }

    private static String array(List<UUID> events) {
        return "{" + String.join(",", events.stream().map(UUID::toString).toList()) + "}";
    }

    private void assertEveryEventProcessedOnce(List<UUID> events) throws Exception {
        TestSystem.eventually(Duration.ofSeconds(60), Duration.ofMillis(250),
                () -> processed(Topology.AUDIT, events) == USERS && processed(Topology.NOTIFICATION, events) == USERS);
        assertEquals(USERS, processed(Topology.AUDIT, events), "audit");
        assertEquals(USERS, processed(Topology.NOTIFICATION, events), "notification");
        assertEquals(USERS, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ANY(?::uuid[])", array(events)),
                "one audit row per event");
        assertEquals(USERS, t.count("SELECT count(*) FROM sent_notifications WHERE event_id = ANY(?::uuid[]) AND status = 'SENT'",
                array(events)), "one welcome e-mail per user");
    }

    @Test
    void aDatabaseCutUnderQueueLoadLosesNothingAndDuplicatesNothing() throws Exception {
        List<UUID> events = backlog();
        link.cut();
        t.system.startEventSources();
        Thread.sleep(4_000); // batches fail and are redelivered meanwhile
        link.restore();
        assertEveryEventProcessedOnce(events);
    }

    @Test
    void aFrozenDatabaseUnderQueueLoadLosesNothingAndDuplicatesNothing() throws Exception {
        List<UUID> events = backlog();
        t.system.startEventSources();
        link.freeze();
        Thread.sleep(8_000); // statements hang (as under SIGSTOP); they go on when it thaws
        link.thaw();
        assertEveryEventProcessedOnce(events);
    }
}
