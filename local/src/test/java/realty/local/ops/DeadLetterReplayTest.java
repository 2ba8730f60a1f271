package realty.local.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replaying and discarding dead letters through the admin API, on a real broker and database: a
 * replayed message is processed exactly once after its cause is fixed, a message that already
 * succeeded replays as a no-op, and every action is audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadLetterReplayTest {
    private final SwitchableAuditFunction.Faults faults = new SwitchableAuditFunction.Faults();
    private OpsSystem t;
    private String admin;
    private String company;

    @BeforeAll
    void start() throws Exception {
        t = new OpsSystem(faults, Map.of("realty.retry.audit.max-attempts", 2, "realty.retry.audit.delays", List.of("200ms")));
        admin = t.adminToken();
        company = t.createCompany(admin, "Replay Agency");
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void aDeadLetteredEventReplayedAfterItsCauseIsFixedIsProcessedOnceAndLeavesTheDlq() throws Exception {
        faults.broken.set(true);
        UUID event = t.createUser(admin, OpsSystem.email("broken"), company);
        Map<String, Object> dead = deadLetter(event);
        assertEquals("attempts-exhausted", dead.get("failureKind"));
        assertEquals(2, ((Number) dead.get("attempts")).intValue());
        assertTrue(String.valueOf(dead.get("error")).contains("the audit store is unavailable"), dead.toString());
        assertEquals("DEAD", t.call("GET", "/api/v1/events/" + event, admin, null).body().get("status"));
        assertEquals(0, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", event));

        faults.broken.set(false); // the cause is fixed
        OpsSystem.Response replay = t.call("POST", "/api/v1/admin/dead-letters/" + event + "/replay?queue=audit_events", admin, null);

        assertEquals(200, replay.status(), replay.body().toString());
        assertEquals("DONE", replay.body().get("status"));
        assertEquals(1, replay.list("messages").size());
        OpsSystem.eventually(Duration.ofSeconds(15), () -> {
            try {
                return "PROCESSED".equals(t.call("GET", "/api/v1/events/" + event, admin, null).body().get("status"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(500); // room for a stray second delivery to show up, if there were one
        assertEquals(1, faults.handled(event), "processed exactly once");
        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", event));
        assertEquals(0, dlqCopies(event), "the dead letter is gone");
        assertEquals(1, t.count("SELECT count(*) FROM dead_letter_actions WHERE message_id = ? AND action = 'REPLAY' "
                + "AND status = 'DONE' AND affected = 1", event.toString()));
        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_type = 'dead_letter.replayed' "
                + "AND resource_type = 'dead_letter' AND resource_id = ? AND actor_user_id = 'platform-admin'", event.toString()));
    }

    @Test
    void replayingAMessageThatAlreadySucceededIsANoOp() throws Exception {
        UUID event = t.createUser(admin, OpsSystem.email("fine"), company);
        OpsSystem.eventually(Duration.ofSeconds(15), () -> faults.handled(event) == 1);
        // A stray copy in the DLQ (say, a duplicate left by a crash between a replay's publish and its ack).
        t.publish("dlx.audit_events", "user.created", List.of(new OpsSystem.Message(event.toString(), "user.created",
                Map.of("x-failure-kind", "attempts-exhausted", "x-attempts", 5, "x-original-queue", "audit_events"),
                t.outboxBody(event))));
        assertEquals(1, dlqCopies(event));
        double duplicatesBefore = t.duplicatesSkipped("audit_events");

        OpsSystem.Response replay = t.call("POST", "/api/v1/admin/dead-letters/" + event + "/replay", admin, null);

        assertEquals(200, replay.status(), replay.body().toString());
        OpsSystem.eventually(Duration.ofSeconds(15), () -> t.duplicatesSkipped("audit_events") > duplicatesBefore);
        assertEquals(1, faults.handled(event), "the handler did not run again");
        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", event));
        assertEquals(1, t.count("SELECT count(*) FROM consumer_outcomes WHERE event_id = ? AND consumer = 'audit' "
                + "AND status = 'PROCESSED' AND attempts = 1", event));
        assertEquals(0, dlqCopies(event));
    }

    @Test
    void aBulkReplayTakesOnlyWhatItsFilterMatches() throws Exception {
        faults.broken.set(true);
        UUID first = t.createUser(admin, OpsSystem.email("broken"), company);
        UUID second = t.createUser(admin, OpsSystem.email("broken"), company);
        deadLetter(first);
        deadLetter(second);
        String garbage = "garbage-" + UUID.randomUUID();
        t.publish("events", "user.created", List.of(new OpsSystem.Message(garbage, "user.created", Map.of(), "{")));
        OpsSystem.eventually(Duration.ofSeconds(10), () -> dlqIds().contains(garbage));
        faults.broken.set(false);

        OpsSystem.Response replay = t.call("POST", "/api/v1/admin/dead-letters/replay", admin,
                Map.of("queue", "audit_events.dlq", "failureKind", "attempts-exhausted", "errorContains", "AUDIT STORE"));

        assertEquals(200, replay.status(), replay.body().toString());
        assertEquals(2, replay.list("messages").size(), replay.body().toString());
        OpsSystem.eventually(Duration.ofSeconds(15), () -> faults.handled(first) == 1 && faults.handled(second) == 1);
        assertTrue(dlqIds().contains(garbage), "the permanent failure was not selected and stays");
        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_type = 'dead_letter.replayed' AND resource_id = ?",
                first.toString()));
    }

    @Test
    void aDiscardRemovesOneMessageForGoodAndIsAudited() throws Exception {
        String garbage = "discard-me-" + UUID.randomUUID();
        // user.updated is bound to the audit queue only, so exactly one dead letter carries this id
        t.publish("events", "user.updated", List.of(new OpsSystem.Message(garbage, "user.updated", Map.of(), "[]")));
        OpsSystem.eventually(Duration.ofSeconds(10), () -> dlqIds().contains(garbage));

        OpsSystem.Response discard = t.call("DELETE", "/api/v1/admin/dead-letters/" + garbage, admin, null);

        assertEquals(200, discard.status(), discard.body().toString());
        assertTrue(!dlqIds().contains(garbage));
        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_type = 'dead_letter.discarded' AND resource_id = ?",
                garbage));
        assertEquals(404, t.call("DELETE", "/api/v1/admin/dead-letters/" + garbage, admin, null).status(), "gone");
        assertEquals(404, t.call("POST", "/api/v1/admin/dead-letters/" + garbage + "/replay", admin, null).status());
        assertTrue(t.count("SELECT count(*) FROM dead_letter_actions WHERE message_id = ? AND status = 'NOT_FOUND'", garbage) >= 1,
                "a replay or discard that found nothing is logged too");
        assertEquals(400, t.call("GET", "/api/v1/admin/dead-letters?queue=no_such_queue", admin, null).status());
    }

    // --- helpers -------------------------------------------------------------------------------

    private Map<String, Object> deadLetter(UUID event) throws InterruptedException {
        return OpsSystem.eventually(Duration.ofSeconds(15), () -> {
            try {
                return t.call("GET", "/api/v1/admin/dead-letters?queue=audit_events&limit=500", admin, null).list("items").stream()
                        .filter(d -> event.toString().equals(d.get("id"))).findFirst().orElse(null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private List<Object> dlqIds() {
        try {
            return t.call("GET", "/api/v1/admin/dead-letters?queue=audit_events&limit=500", admin, null).list("items").stream()
                    .map(d -> d.get("id")).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long dlqCopies(UUID event) {
        return dlqIds().stream().filter(event.toString()::equals).count();
    }
}
