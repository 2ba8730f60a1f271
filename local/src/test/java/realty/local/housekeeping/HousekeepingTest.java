package realty.local.housekeeping;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.UserCreated;
import realty.core.topology.Topology;
import realty.local.LocalLambdaContext;
import realty.local.LocalMailServer;
import realty.local.TestSystem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The housekeeping function as its schedule invokes it, on the real database, broker and SMTP
 * capture: it removes exactly the rows past their retention that nothing needs any more, leaves
 * everything else, sends held summary mails without waiting for another event, and two runs at once
 * do each thing once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HousekeepingTest {
    private static final List<String> USER_CREATED_CONSUMERS = Topology.standard().expectedConsumers(EventType.USER_CREATED);
    private TestSystem t;

    @BeforeAll
    void start() throws Exception {
        // No event sources: nothing but this test touches the rows it writes. A small batch, so runs take several.
        t = new TestSystem(Map.of(), Map.of("realty.housekeeping.batch-size", 50, "realty.mail.max-per-recipient", 2), false);
    }

    @AfterAll
    void stop() {
        t.close();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> runHousekeeping() {
        ScheduledEvent event = new ScheduledEvent();
        event.setSource("realty.scheduler");
        return (Map<String, Map<String, Object>>) (Map<?, ?>) t.system.housekeeping()
                .handleRequest(event, new LocalLambdaContext("housekeeping-function", 120_000));
    }

    private static long count(Map<String, Map<String, Object>> report, String task) {
        return ((Number) report.get(task).get("count")).longValue();
    }

    /** A published user.created row, published {@code daysAgo} days ago, with the given outcome per consumer. */
    private UUID published(int daysAgo, Map<String, String> outcomes) throws Exception {
        UUID id = UUID.randomUUID();
        t.execute("INSERT INTO outbox_events (id, type, version, aggregate_type, aggregate_id, priority, body, status, "
                + "occurred_at, published_at, publish_attempts) VALUES (?, 'user.created', 1, 'user', ?, 5, '{}', 'PUBLISHED', "
                + "now() - make_interval(days => ?), now() - make_interval(days => ?), 1)", id, id.toString(), daysAgo, daysAgo);
        for (Map.Entry<String, String> o : outcomes.entrySet()) {
            t.execute("INSERT INTO consumer_outcomes (event_id, consumer, status, attempts, processed_at, updated_at) "
                    + "VALUES (?, ?, ?, 1, now() - make_interval(days => ?), now() - make_interval(days => ?))",
                    id, o.getKey(), o.getValue(), daysAgo, daysAgo);
        }
        return id;
    }

    private Map<String, String> all(String status) {
        Map<String, String> m = new java.util.HashMap<>();
        USER_CREATED_CONSUMERS.forEach(c -> m.put(c, status));
        return m;
    }

    private boolean inOutbox(UUID id) throws Exception {
        return t.count("SELECT count(*) FROM outbox_events WHERE id = ?", id) == 1;
    }

    private long outcomes(UUID id) throws Exception {
        return t.count("SELECT count(*) FROM consumer_outcomes WHERE event_id = ?", id);
    }

    @Test
    void prunesOnlyOldEventsEveryConsumerProcessedWithTheirOutcomes() throws Exception {
        assertTrue(USER_CREATED_CONSUMERS.size() >= 2, "the test needs an event type with two consumers: " + USER_CREATED_CONSUMERS);
        String first = USER_CREATED_CONSUMERS.get(0);
        UUID done = published(40, all("PROCESSED"));
        UUID young = published(5, all("PROCESSED"));
        Map<String, String> retrying = all("PROCESSED");
        retrying.put(first, "RETRYING");
        UUID stillRetrying = published(40, retrying);
        Map<String, String> dead = all("PROCESSED");
        dead.put(first, "DEAD");
        UUID deadLettered = published(40, dead);
        Map<String, String> missing = all("PROCESSED");
        missing.remove(first);
        UUID notYetConsumed = published(40, missing);
        UUID pending = UUID.randomUUID();
        t.execute("INSERT INTO outbox_events (id, type, version, aggregate_type, aggregate_id, correlation_id, priority, body, status, "
                + "occurred_at) VALUES (?, 'user.created', 1, 'user', ?, 'housekeeping-test', 5, ?::json, 'PENDING', "
                + "now() - interval '40 days')", pending, pending.toString(), t.outboxBody(young));
        // The relay of this system takes the old PENDING row at its next poll: mark it published now, so it is young.
        TestSystem.eventually(java.time.Duration.ofSeconds(10), () -> t.count(
                "SELECT count(*) FROM outbox_events WHERE id = ? AND status = 'PUBLISHED'", pending) == 1);

        Map<String, Map<String, Object>> report = runHousekeeping();

        assertEquals("DONE", report.get("outbox-prune").get("outcome"), report.toString());
        assertTrue(count(report, "outbox-prune") >= 1, report.toString());
        assertTrue(!inOutbox(done) && outcomes(done) == 0, "the old, fully processed event and its outcomes are gone");
        for (UUID kept : List.of(young, stillRetrying, deadLettered, notYetConsumed, pending)) {
            assertTrue(inOutbox(kept), "event " + kept + " must stay");
        }
        assertEquals(USER_CREATED_CONSUMERS.size(), outcomes(young));
        assertEquals(USER_CREATED_CONSUMERS.size(), outcomes(stillRetrying), "a retrying event keeps every outcome");
        assertEquals(USER_CREATED_CONSUMERS.size(), outcomes(deadLettered));
        assertEquals(USER_CREATED_CONSUMERS.size() - 1, outcomes(notYetConsumed));
        // GET /events/{id} is answered from the outbox: a pruned event is gone from it.
        String admin = t.adminToken();
        assertEquals(404, t.call("GET", "/api/v1/events/" + done, admin, null).status());
        assertEquals(200, t.call("GET", "/api/v1/events/" + young, admin, null).status());

        Map<String, Map<String, Object>> again = runHousekeeping();
        assertEquals(0, count(again, "outbox-prune"), "a second run finds nothing more: " + again);
    }

    @Test
    void twoRunsAtOnceRemoveEachRowOnceAndTogetherAllOfThem() throws Exception {
        List<UUID> old = new ArrayList<>();
        for (Object id : t.column("INSERT INTO outbox_events (id, type, version, aggregate_type, aggregate_id, priority, body, "
                + "status, occurred_at, published_at) SELECT gen_random_uuid(), 'user.created', 1, 'user', 'bulk', 5, '{}', "
                + "'PUBLISHED', now() - interval '35 days', now() - interval '35 days' FROM generate_series(1, 400) RETURNING id")) {
            old.add((UUID) id);
        }
        t.execute("INSERT INTO consumer_outcomes (event_id, consumer, status, attempts) SELECT e, c, 'PROCESSED', 1 "
                + "FROM unnest(?::uuid[]) e, unnest(?::text[]) c", old.toArray(new UUID[0]), USER_CREATED_CONSUMERS.toArray(new String[0]));
        UUID kept = published(35, Map.of(USER_CREATED_CONSUMERS.get(0), "RETRYING"));
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Map<String, Map<String, Object>>> run = () -> {
                together.await();
                return runHousekeeping();
            };
            Future<Map<String, Map<String, Object>>> a = pool.submit(run);
            Future<Map<String, Map<String, Object>>> b = pool.submit(run);
            Map<String, Map<String, Object>> ra = a.get();
            Map<String, Map<String, Object>> rb = b.get();
            for (Map<String, Map<String, Object>> r : List.of(ra, rb)) {
                r.values().forEach(task -> assertTrue(List.of("DONE", "BUSY").contains(task.get("outcome")), "a run: " + r));
            }
            assertTrue(count(ra, "outbox-prune") + count(rb, "outbox-prune") >= old.size(), ra + " / " + rb);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, t.count("SELECT count(*) FROM outbox_events WHERE id = ANY(?)", (Object) old.toArray(new UUID[0])));
        assertEquals(0, t.count("SELECT count(*) FROM consumer_outcomes WHERE event_id = ANY(?)", (Object) old.toArray(new UUID[0])));
        assertTrue(inOutbox(kept));
        assertEquals(1, outcomes(kept));
    }

    @Test
    void prunesOldLedgerRowsAndKeepsHeldMailsAndRecentRows() throws Exception {
        String recipient = TestSystem.email("ledger");
        long oldSummary = ((Number) t.value("INSERT INTO sent_notifications (recipient_email, recipient_name, locale, template, "
                + "subject, status, created_at, sent_at) VALUES (?, 'R', 'pt-BR', 'summary', 'Resumo', 'SENT', now() - interval '40 days', "
                + "now() - interval '40 days') RETURNING id", recipient)).longValue();
        UUID listed = UUID.randomUUID();
        t.execute("INSERT INTO sent_notifications (event_id, event_type, recipient_email, recipient_name, locale, template, subject, "
                + "status, summary_id, created_at) VALUES (?, 'user.created', ?, 'R', 'pt-BR', 'welcome', 'W', 'SUMMARIZED', ?, "
                + "now() - interval '41 days')", listed, recipient, oldSummary);
        UUID oldSent = UUID.randomUUID();
        UUID recentSent = UUID.randomUUID();
        for (Object[] row : List.of(new Object[]{oldSent, 45}, new Object[]{recentSent, 3})) {
            t.execute("INSERT INTO sent_notifications (event_id, event_type, recipient_email, recipient_name, locale, template, "
                    + "subject, status, created_at, sent_at) VALUES (?, 'user.created', ?, 'R', 'pt-BR', 'welcome', 'W', 'SENT', "
                    + "now() - make_interval(days => ?), now() - make_interval(days => ?))", row[0], recipient, row[1], row[1]);
        }

        String company = t.createCompany(t.adminToken(), "Webhook Ledger Agency");
        UUID subscription = UUID.randomUUID();
        t.execute("INSERT INTO webhook_subscriptions (id, company_id, url, event_types, secret, created_by) "
                + "VALUES (?, ?::uuid, 'https://hooks.example.com/x', ARRAY['user.created'], 's', 'test')", subscription, company);
        UUID oldDelivery = UUID.randomUUID();
        UUID recentDelivery = UUID.randomUUID();
        for (Object[] row : List.of(new Object[]{oldDelivery, 31, "DELIVERED"}, new Object[]{recentDelivery, 2, "DELIVERED"})) {
            t.execute("INSERT INTO webhook_deliveries (event_id, subscription_id, company_id, event_type, status, attempts, "
                    + "first_attempt_at, last_attempt_at) VALUES (?, ?, ?::uuid, 'user.created', ?, 1, "
                    + "now() - make_interval(days => ?), now() - make_interval(days => ?))", row[0], subscription, company, row[2],
                    row[1], row[1]);
        }

        Map<String, Map<String, Object>> report = runHousekeeping();

        assertEquals("DONE", report.get("mail-ledger-prune").get("outcome"), report.toString());
        assertEquals(0, t.count("SELECT count(*) FROM sent_notifications WHERE id = ? OR event_id = ANY(?)", oldSummary,
                new UUID[]{listed, oldSent}), "the old summary, the mail it listed and the old sent mail are gone");
        assertEquals(1, t.count("SELECT count(*) FROM sent_notifications WHERE event_id = ?", recentSent));
        assertEquals(0, t.count("SELECT count(*) FROM webhook_deliveries WHERE event_id = ?", oldDelivery));
        assertEquals(1, t.count("SELECT count(*) FROM webhook_deliveries WHERE event_id = ?", recentDelivery));
    }

    @Test
    void prunesLinksExpiredLongAgoAndRunsTheAuditRetention() throws Exception {
        String company = t.createCompany(t.adminToken(), "Link Prune Agency");
        UUID user = UUID.fromString(t.createUser(t.adminToken(), TestSystem.email("links"), List.of("agent"), List.of(company))
                .string("id"));
        UUID oldReset = UUID.randomUUID();
        UUID unknownOldReset = UUID.randomUUID();
        UUID recentReset = UUID.randomUUID();
        for (Object[] row : List.of(new Object[]{oldReset, user, 40}, new Object[]{unknownOldReset, null, 31},
                new Object[]{recentReset, user, 5})) {
            t.execute("INSERT INTO password_reset_requests (id, user_id, token_hash, requested_at, expires_at) VALUES "
                    + "(?, ?, ?, now() - make_interval(days => ?), now() - make_interval(days => ?))",
                    row[0], row[1], "hash-" + row[0], row[2], row[2]);
        }
        UUID oldInvitation = UUID.randomUUID();
        UUID recentInvitation = UUID.randomUUID();
        t.execute("INSERT INTO user_invitations (id, user_id, token_hash, expires_at, created_at, superseded_at) VALUES "
                + "(?, ?, 'inv-old', now() - interval '35 days', now() - interval '38 days', now() - interval '37 days')", oldInvitation, user);
        t.execute("INSERT INTO user_invitations (id, user_id, token_hash, expires_at, created_at) VALUES "
                + "(?, ?, 'inv-recent', now() - interval '2 days', now() - interval '5 days')", recentInvitation, user);

        Map<String, Map<String, Object>> report = runHousekeeping();

        assertEquals("DONE", report.get("link-prune").get("outcome"), report.toString());
        assertEquals(0, t.count("SELECT count(*) FROM password_reset_requests WHERE id = ANY(?)", (Object) new UUID[]{oldReset, unknownOldReset}));
        assertEquals(1, t.count("SELECT count(*) FROM password_reset_requests WHERE id = ?", recentReset));
        assertEquals(0, t.count("SELECT count(*) FROM user_invitations WHERE id = ?", oldInvitation));
        assertEquals(1, t.count("SELECT count(*) FROM user_invitations WHERE id = ?", recentInvitation));
        // the local system configures an archive folder, so the audit log's retention is a housekeeping step too
        assertEquals("DONE", report.get("audit-retention").get("outcome"), report.toString());
    }

    @Test
    void heldMailsAreSummarizedByHousekeepingWithoutAnotherEvent() throws Exception {
        String company = t.createCompany(t.adminToken(), "Held Summary Agency");
        String recipient = TestSystem.email("held");
        UUID userId = UUID.randomUUID();
        for (int i = 0; i < 5; i++) { // max-per-recipient is 2 here: two welcome mails, three held
            EventEnvelope event = EventEnvelope.create(EventType.USER_CREATED, UUID.fromString(company), Actor.system("test"),
                    "held-" + i, null, new AggregateRef("user", userId.toString()),
                    new UserCreated(userId, recipient, null, null, List.of(), List.of()));
            t.system.queueFunction(Topology.NOTIFICATION).handleRequest(TestSystem.batch("notification_events",
                    List.of(TestSystem.message(event.id().toString(), event.type(), 5, null, t.encode(event)))), null);
        }
        LocalMailServer mail = t.system.mailServer();
        assertEquals(2, mail.messagesTo(recipient).size());
        assertEquals(3, t.count("SELECT count(*) FROM sent_notifications WHERE recipient_email = ? AND status = 'HELD'", recipient));

        Map<String, Map<String, Object>> early = runHousekeeping();
        assertEquals(2, mail.messagesTo(recipient).size(), "no summary while the window is still full: " + early);

        // The window moves on (the sent rows are made older than realty.mail.rate-window).
        t.execute("UPDATE sent_notifications SET sent_at = sent_at - interval '2 hours' WHERE recipient_email = ?", recipient);
        Map<String, Map<String, Object>> report = runHousekeeping();

        assertTrue(count(report, "held-summary-mails") >= 1, report.toString());
        List<MimeMessage> all = mail.messagesTo(recipient);
        assertEquals(3, all.size(), "two mails within the limit and one summary");
        MimeMessage summary = all.get(2);
        assertTrue(summary.getSubject().startsWith("Resumo: 3 "), summary.getSubject());
        assertEquals(0, t.count("SELECT count(*) FROM sent_notifications WHERE recipient_email = ? AND status = 'HELD'", recipient));
        assertEquals(3, t.count("SELECT count(*) FROM sent_notifications WHERE recipient_email = ? AND status = 'SUMMARIZED'", recipient));

        runHousekeeping();
        assertEquals(3, mail.messagesTo(recipient).size(), "the summary goes out once");
    }
}
