package realty.local.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.local.LocalSystem;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * spec/events.md §4: with the broker unreachable, the API audits its writes inline, and the queued
 * delivery that follows once the relay publishes the event is a no-op.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InlineAuditFallbackTest {
    private final SwitchableAuditFunction.Faults faults = new SwitchableAuditFunction.Faults();
    private OpsSystem t;
    private String admin;
    private String company;

    @BeforeAll
    void start() throws Exception {
        t = new OpsSystem(faults, Map.of());
        admin = t.adminToken();
        company = t.createCompany(admin, "Offline Agency");
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void withTheBrokerDownTheApiAuditsInlineAndTheLaterQueuedDeliveryIsANoOp() throws Exception {
        UUID event;
        try (LocalSystem offline = t.startWithoutBroker(Map.of())) {
            event = createUser(offline);
            // Written before the response: no broker was involved.
            assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", event));
            assertEquals(1, t.count("SELECT count(*) FROM consumer_outcomes WHERE event_id = ? AND consumer = 'audit' "
                    + "AND status = 'PROCESSED'", event));
            assertEquals(1, t.count("SELECT count(*) FROM outbox_events WHERE id = ? AND status = 'PENDING'", event));
        }
        double duplicatesBefore = t.duplicatesSkipped("audit_events");

        // The main system's relay publishes it; the audit queue delivers it; the audit function skips it.
        OpsSystem.eventually(Duration.ofSeconds(20), () -> t.duplicatesSkipped("audit_events") > duplicatesBefore);
        assertEquals(1, t.count("SELECT count(*) FROM outbox_events WHERE id = ? AND status = 'PUBLISHED'", event));
        assertEquals(0, faults.handled(event), "the queued delivery did not run the handler");
        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", event));
        // user.created also goes to the notification function, which may finish a moment later
        OpsSystem.eventually(Duration.ofSeconds(20),
                () -> "PROCESSED".equals(t.call("GET", "/api/v1/events/" + event, admin, null).body().get("status")));
    }

    @Test
    void withTheFallbackSwitchedOffTheAuditWaitsForTheQueue() throws Exception {
        UUID event;
        try (LocalSystem offline = t.startWithoutBroker(Map.of("realty.outbox.inline-audit-fallback", false))) {
            event = createUser(offline);
            assertEquals(0, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", event));
        }
        OpsSystem.eventually(Duration.ofSeconds(20), () -> faults.handled(event) == 1);
        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", event));
    }

    private UUID createUser(LocalSystem offline) throws Exception {
        OpsSystem.Response r = t.call(offline.baseUrl(), "POST", "/api/v1/users", admin, Map.of("email", OpsSystem.email("offline"),
                "name", "Offline", "password", "a-long-password", "profiles", List.of("agent"), "companyIds", List.of(company)));
        assertEquals(201, r.status(), r.body().toString());
        assertEquals("PENDING", r.list("events").get(0).get("status"));
        return UUID.fromString((String) r.list("events").get(0).get("id"));
    }
}
