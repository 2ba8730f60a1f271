package realty.local.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/v1/admin/queues} against a real broker: its figures come from the RabbitMQ
 * management API, so a backlog and a dead letter made on the broker show up as they are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueueHealthTest {
    private static final int BACKLOG = 25;
    private OpsSystem t;
    private String admin;

    @BeforeAll
    void start() throws Exception {
        // Low thresholds, so a small backlog is already degraded.
        t = new OpsSystem(Map.of(), Map.of("realty.queue-health.degraded-ready", 10, "realty.queue-health.failing-ready", 100));
        admin = t.adminToken();
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    @Order(1)
    void aBacklogPublishedWithoutConsumersIsReportedAsReadyAndDegradesTheQueue() throws Exception {
        t.system.stopEventSources();
        List<OpsSystem.Message> messages = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i++) {
            String id = UUID.randomUUID().toString();
            messages.add(new OpsSystem.Message(id, "user.created", Map.of(), "{\"id\":\"" + id + "\"}"));
        }
        t.publish("events", "user.created", messages);

        Map<String, Object> audit = OpsSystem.eventually(Duration.ofSeconds(20), () -> {
            try {
                Map<String, Object> q = t.queueView(admin, "audit_events");
                // (the broker's statistics refresh every few seconds; the head's timestamp can trail its count)
                return ((Number) q.get("ready")).intValue() == BACKLOG && q.get("oldestMessageAgeSeconds") != null ? q : null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(0, ((Number) audit.get("consumers")).intValue(), audit.toString());
        assertEquals("degraded", audit.get("status"), audit.toString());
        assertTrue(audit.get("reasons").toString().contains(BACKLOG + " messages ready"), audit.toString());
        assertTrue(((Number) audit.get("oldestMessageAgeSeconds")).doubleValue() < 120, audit.toString());
        OpsSystem.Response report = t.call("GET", "/api/v1/admin/queues", admin, null);
        assertEquals("degraded", report.body().get("status"), report.body().toString());
        assertNotNull(report.body().get("outbox"));
    }

    @Test
    @Order(2)
    void aDrainedBacklogIsHealthyAndCountsAsFailedOrProcessed() throws Exception {
        t.system.startEventSources();
        // The backlog's bodies are not envelopes: each one is dead-lettered at once, without retries.
        Map<String, Object> audit = OpsSystem.eventually(Duration.ofSeconds(20), () -> {
            try {
                Map<String, Object> q = t.queueView(admin, "audit_events");
                @SuppressWarnings("unchecked")
                Map<String, Object> dlq = (Map<String, Object>) q.get("deadLetter");
                return ((Number) q.get("ready")).intValue() == 0 && ((Number) q.get("consumers")).intValue() == 1
                        && dlq.get("ready") != null && ((Number) dlq.get("ready")).intValue() == BACKLOG ? q : null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals("degraded", audit.get("status"), "dead letters degrade the queue: " + audit);
        assertTrue(audit.get("reasons").toString().contains(BACKLOG + " messages in audit_events.dlq"), audit.toString());
        assertEquals(BACKLOG, t.depth("audit_events.dlq"));
    }

    @Test
    @Order(3)
    void aRealDeadLetterShowsInTheDlqFiguresAndTheListingLeavesItInPlace() throws Exception {
        t.call("POST", "/api/v1/admin/dead-letters/replay", admin, Map.of("queue", "audit_events"));
        // (the replayed garbage goes straight back to the DLQ; start this test from an empty one)
        OpsSystem.eventually(Duration.ofSeconds(10), () -> {
            try {
                return t.depth("audit_events.dlq") == BACKLOG;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        for (var d : t.call("GET", "/api/v1/admin/dead-letters?queue=audit_events&limit=500", admin, null).list("items")) {
            assertEquals(200, t.call("DELETE", "/api/v1/admin/dead-letters/" + d.get("id") + "?queue=audit_events", admin, null).status());
        }
        assertEquals(0, t.depth("audit_events.dlq"));

        String company = t.createCompany(admin, "Health Agency");
        UUID good = t.createUser(admin, OpsSystem.email("healthy"), company);
        String bad = "not-an-envelope-" + UUID.randomUUID();
        t.publish("events", "user.created", List.of(new OpsSystem.Message(bad, "user.created", Map.of(), "{oops")));

        Map<String, Object> audit = OpsSystem.eventually(Duration.ofSeconds(20), () -> {
            try {
                Map<String, Object> q = t.queueView(admin, "audit_events");
                @SuppressWarnings("unchecked")
                Map<String, Object> dlq = (Map<String, Object>) q.get("deadLetter");
                return dlq.get("ready") != null && ((Number) dlq.get("ready")).intValue() == 1
                        && ((Number) q.get("processedLast5m")).intValue() >= 1 ? q : null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals("degraded", audit.get("status"), audit.toString());
        assertNotNull(audit.get("p95ProcessingMs"), audit.toString());
        // No failedLast5m >= 1 here: a body that is not an envelope has no event id, so it leaves no outcome
        // row to count (this held only when an earlier test class had recorded failures in the last 5 minutes).
        assertNotNull(audit.get("failedLast5m"), audit.toString());
        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", good));

        for (int i = 0; i < 3; i++) { // listing never takes a message out
            List<Map<String, Object>> items = t.call("GET", "/api/v1/admin/dead-letters?queue=audit_events", admin, null).list("items");
            assertEquals(1, items.size(), items.toString());
            Map<String, Object> d = items.get(0);
            assertEquals(bad, d.get("id"));
            assertEquals("audit_events.dlq", d.get("queue"));
            assertEquals("audit_events", d.get("workQueue"));
            assertEquals("permanent", d.get("failureKind"));
            assertEquals(1, ((Number) d.get("attempts")).intValue());
            assertEquals("audit", d.get("failedFunction"));
            assertTrue(String.valueOf(d.get("error")).contains("not a JSON event envelope"), d.toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> headers = (Map<String, Object>) d.get("headers");
            assertEquals("audit_events", headers.get("x-original-queue"));
        }
        assertEquals(1, t.depth("audit_events.dlq"));
    }

    @Test
    @Order(4)
    void onlyThePlatformAdminSeesQueuesAndDeadLetters() throws Exception {
        String company = t.createCompany(admin, "Nosy Agency");
        String email = OpsSystem.email("owner");
        t.call("POST", "/api/v1/users", admin, Map.of("email", email, "name", "Owner", "password", "a-long-password",
                "profiles", List.of("owner"), "companyIds", List.of(company)));
        String owner = t.login(email, "a-long-password");
        assertEquals(403, t.call("GET", "/api/v1/admin/queues", owner, null).status());
        assertEquals(403, t.call("GET", "/api/v1/admin/dead-letters", owner, null).status());
        assertEquals(403, t.call("POST", "/api/v1/admin/dead-letters/x/replay", owner, null).status());
        assertEquals(401, t.call("GET", "/api/v1/admin/queues", null, null).status());
    }
}
