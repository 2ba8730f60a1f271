package realty.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.rabbitmq.client.GetResponse;
import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.audit.AuditFunction;
import realty.core.consumer.EventHandler;
import realty.core.consumer.HandlerContext;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.topology.Topology;
import realty.core.event.payload.UserCreated;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The foundation end to end, on a real PostgreSQL and RabbitMQ: API handler → outbox → broker →
 * local event source → audit handler, plus the failure paths of the consumer runtime.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FoundationFlowTest {
    private TestSystem t;
    private String admin;
    private String companyA;
    private String companyB;
    private String ownerA;

    /** The real audit function, except that events for e-mails starting "flaky" fail their first two attempts. */
    public static class FlakyAuditFunction extends AuditFunction {
        @Inject
        protected Topology unusedButMakesThisAnInjectableClass;

        public FlakyAuditFunction(ApplicationContext ctx) {
            super(ctx);
        }

        @Override
        protected EventHandler handler() {
            EventHandler real = super.handler();
            return new EventHandler() {
                @Override
                public Set<EventType> handledTypes() {
                    return real.handledTypes();
                }

                @Override
                public boolean repeatable() {
                    return real.repeatable();
                }

                @Override
                public void handle(EventEnvelope event, HandlerContext context) throws Exception {
                    Object email = event.payloadAs(UserCreated.class).map(UserCreated::email).orElse(null);
                    if (email != null && email.toString().startsWith("flaky") && context.attempt() <= 2) {
                        throw new IllegalStateException("simulated outage on attempt " + context.attempt());
                    }
                    real.handle(event, context);
                }
            };
        }
    }

    @BeforeAll
    void start() throws Exception {
        Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> functions =
                Map.of(Topology.AUDIT, FlakyAuditFunction::new);
        t = new TestSystem(functions, Map.of("realty.retry.audit.delays", List.of("300ms", "600ms", "1s", "1s")));
        admin = t.adminToken();
        companyA = t.createCompany(admin, "Agency A");
        companyB = t.createCompany(admin, "Agency B");
        String ownerEmail = TestSystem.email("owner-a");
        assertEquals(201, t.createUser(admin, ownerEmail, List.of("owner"), List.of(companyA)).status());
        ownerA = t.login(ownerEmail, "a-long-password");
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void ownerCreatesUserInOwnCompanyAndItsEventIsAuditedAndProcessed() throws Exception {
        String email = TestSystem.email("agent");
        TestSystem.Response created = t.createUser(ownerA, email, List.of("agent"), List.of(companyA));

        assertEquals(201, created.status(), created.body().toString());
        assertNotNull(created.requestId());
        assertEquals(1, created.events().size());
        assertEquals("user.created", created.events().get(0).get("type"));
        UUID eventId = UUID.fromString((String) created.events().get(0).get("id"));

        TestSystem.eventually(Duration.ofSeconds(10), () -> t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", eventId) == 1);
        var row = t.count("SELECT count(*) FROM audit_logs WHERE event_id = ? AND request_id = ? AND company_id = ?::uuid "
                + "AND resource_type = 'user' AND data::text NOT LIKE '%password%'", eventId, created.requestId(), companyA);
        assertEquals(1, row, "audit row carries the request id, company and no password");
        TestSystem.Response status = TestSystem.eventually(Duration.ofSeconds(10), () -> {
            TestSystem.Response r = t.call("GET", "/api/v1/events/" + eventId, ownerA, null);
            return "PROCESSED".equals(r.body().get("status")) ? r : null;
        });
        assertEquals("user.created", status.body().get("type"));
    }

    @Test
    void ownerCreatingUserInAnotherCompanyIsRefusedAndNothingIsWritten() throws Exception {
        String email = TestSystem.email("intruder");
        long createdBefore = t.count("SELECT count(*) FROM outbox_events WHERE type = 'user.created'");

        TestSystem.Response r = t.createUser(ownerA, email, List.of("agent"), List.of(companyB));

        assertEquals(403, r.status());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertTrue(String.valueOf(r.body().get("detail")).contains("multi-tenancy violation"), r.body().toString());
        assertEquals(0, t.count("SELECT count(*) FROM users WHERE email = ?", email));
        assertEquals(0, t.count("SELECT count(*) FROM outbox_events WHERE body::text LIKE ?", "%" + email + "%"));
        assertEquals(createdBefore, t.count("SELECT count(*) FROM outbox_events WHERE type = 'user.created'"));
        assertEquals(1, t.count("SELECT count(*) FROM outbox_events WHERE type = 'security.access_denied' AND correlation_id = ?",
                r.requestId()), "the refusal itself is recorded for the audit log");
    }

    @Test
    void managerCannotCreateAnOwnerAndNothingIsWritten() throws Exception {
        String managerEmail = TestSystem.email("manager");
        assertEquals(201, t.createUser(ownerA, managerEmail, List.of("manager"), List.of(companyA)).status());
        String manager = t.login(managerEmail, "a-long-password");
        String email = TestSystem.email("would-be-owner");

        TestSystem.Response r = t.createUser(manager, email, List.of("owner"), List.of(companyA));

        assertEquals(403, r.status());
        assertEquals(0, t.count("SELECT count(*) FROM users WHERE email = ?", email));
    }

    @Test
    void writesSucceedWhileTheBrokerIsUnreachableAndTheRelayPublishesLater() throws Exception {
        // A second API instance whose broker address answers nothing; the main system's relay is the "later".
        String email = TestSystem.email("offline");
        UUID eventId;
        try (LocalSystem offline = t.startWithoutBroker(Map.of())) {
            TestSystem.Response r = t.call(offline.baseUrl(), "POST", "/api/v1/users", ownerA, Map.of("email", email,
                    "name", "Offline", "password", "a-long-password", "profiles", List.of("agent"), "companyIds", List.of(companyA)));
            assertEquals(201, r.status(), r.body().toString());
            assertEquals("PENDING", r.events().get(0).get("status"));
            eventId = UUID.fromString((String) r.events().get(0).get("id"));
            assertEquals(1, t.count("SELECT count(*) FROM outbox_events WHERE id = ? AND status = 'PENDING'", eventId));
        }
        // (the audit row may already be there: the API's inline audit fallback writes it while the broker is down)
        TestSystem.eventually(Duration.ofSeconds(15), () -> t.count("SELECT count(*) FROM outbox_events WHERE id = ? AND status = 'PUBLISHED'", eventId) == 1);
        TestSystem.eventually(Duration.ofSeconds(15), () -> t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", eventId) == 1);
    }

    @Test
    void theSameRabbitMQEventDeliveredTwiceWritesOneAuditRow() throws Exception {
        EventEnvelope envelope = userCreated("twice");
        RabbitMQEvent event = batch(message(envelope.id().toString(), encode(envelope)));
        RequestHandler<RabbitMQEvent, ?> audit = t.system.queueFunction(Topology.AUDIT);

        audit.handleRequest(event, new LocalLambdaContext("audit-function", 10_000));
        audit.handleRequest(event, new LocalLambdaContext("audit-function", 10_000));

        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", envelope.id()));
        assertEquals(1, t.count("SELECT count(*) FROM consumer_outcomes WHERE event_id = ? AND status = 'PROCESSED'", envelope.id()));
    }

    @Test
    void aMalformedMessageGoesToTheDlqAtOnceWhileTheRestOfTheBatchSucceeds() throws Exception {
        EventEnvelope good = userCreated("good");
        String badId = "malformed-" + UUID.randomUUID();
        RabbitMQEvent event = batch(message(badId, "{not json".getBytes(StandardCharsets.UTF_8)),
                message(good.id().toString(), encode(good)));

        t.system.queueFunction(Topology.AUDIT).handleRequest(event, new LocalLambdaContext("audit-function", 10_000));

        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", good.id()));
        GetResponse dead = t.drainUntil("audit_events.dlq", badId, Duration.ofSeconds(5));
        Map<String, Object> h = dead.getProps().getHeaders();
        assertEquals("permanent", h.get("x-failure-kind").toString());
        assertEquals(1, ((Number) h.get("x-attempts")).intValue(), "no retries burnt");
        assertEquals("audit_events", h.get("x-original-queue").toString());
        assertEquals("audit", h.get("x-failed-function").toString());
        assertTrue(h.get("x-exception-message").toString().contains("not a JSON event envelope"));
        assertNotNull(h.get("x-first-failure-at"));
    }

    @Test
    void aFailingMessageInABatchOfARepeatableHandlerIsIsolatedAndTheOthersAreWrittenOnce() throws Exception {
        EventEnvelope first = userCreated("first");
        EventEnvelope second = userCreated("second");
        EventEnvelope future = new EventEnvelope(UUID.randomUUID(), "user.created", 99, Instant.now(), UUID.fromString(companyA),
                Actor.system("test"), "req-future", null, new AggregateRef("user", UUID.randomUUID().toString()),
                new UserCreated(UUID.randomUUID(), "future@x.dev", null, null, List.of(), List.of()));
        RabbitMQEvent event = batch(message(first.id().toString(), encode(first)), message(future.id().toString(), encode(future)),
                message(second.id().toString(), encode(second)));

        t.system.queueFunction(Topology.AUDIT).handleRequest(event, new LocalLambdaContext("audit-function", 10_000));

        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", first.id()));
        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", second.id()));
        assertEquals(0, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", future.id()));
        assertEquals(1, t.count("SELECT count(*) FROM consumer_outcomes WHERE event_id = ? AND status = 'DEAD' "
                + "AND last_error LIKE '%unsupported version 99%'", future.id()));
    }

    @Test
    void aHandlerThatFailsTwiceIsRetriedThroughTheDelayTiersAndThenProcessed() throws Exception {
        TestSystem.Response created = t.createUser(ownerA, TestSystem.email("flaky"), List.of("agent"), List.of(companyA));
        assertEquals(201, created.status());
        UUID eventId = UUID.fromString((String) created.events().get(0).get("id"));

        TestSystem.Response status = TestSystem.eventually(Duration.ofSeconds(15), () -> {
            TestSystem.Response r = t.call("GET", "/api/v1/events/" + eventId, ownerA, null);
            return "PROCESSED".equals(r.body().get("status")) ? r : null;
        });

        @SuppressWarnings("unchecked")
        Map<String, Object> audit = ((List<Map<String, Object>>) status.body().get("consumers")).get(0);
        assertEquals("audit", audit.get("consumer"));
        assertEquals(3, ((Number) audit.get("attempts")).intValue(), status.body().toString());
        assertTrue(String.valueOf(audit.get("lastError")).contains("simulated outage on attempt 2"));
        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", eventId));
    }

    @Test
    void missingExpiredWronglySignedAndUnsignedTokensAreRefused() throws Exception {
        String userId = (String) t.call("GET", "/api/v1/me", ownerA, null).body().get("id");
        String expired = sign(TestSystem.JWT_SECRET, userId, Instant.now().minusSeconds(60));
        String wrongKey = sign("another-signing-key-that-is-32-bytes-long!!", userId, Instant.now().plusSeconds(600));
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String unsigned = header + "." + b64("{\"sub\":\"" + userId + "\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}") + ".";
        String tampered = tamper(ownerA);

        for (String token : new String[]{null, expired, wrongKey, unsigned, tampered, "garbage"}) {
            TestSystem.Response r = t.call("GET", "/api/v1/me", token, null);
            assertEquals(401, r.status(), "token " + token + " → " + r.body());
        }
        assertEquals(200, t.call("GET", "/api/v1/me", ownerA, null).status());
    }

    @Test
    void errorsAreProblemDocumentsWithTheRequestId() throws Exception {
        TestSystem.Response r = t.call("POST", "/api/v1/users", ownerA, Map.of("email", "not-an-email"));
        assertEquals(400, r.status());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals(400, ((Number) r.body().get("status")).intValue());
        assertNotNull(r.requestId());
    }

    // --- helpers -------------------------------------------------------------------------------

    private EventEnvelope userCreated(String label) {
        UUID user = UUID.randomUUID();
        return EventEnvelope.create(EventType.USER_CREATED, UUID.fromString(companyA), Actor.system("test"), "req-" + label, null,
                new AggregateRef("user", user.toString()), new UserCreated(user, label + "@x.dev", null, null, List.of(), List.of()));
    }

    private byte[] encode(EventEnvelope e) {
        return t.encode(e);
    }

    private static RabbitMQEvent.RabbitMessage message(String id, byte[] body) {
        return TestSystem.message(id, "user.created", 5, null, body);
    }

    private static RabbitMQEvent batch(RabbitMQEvent.RabbitMessage... messages) {
        return TestSystem.batch("audit_events", List.of(messages));
    }

    private static String sign(String key, String subject, Instant expiry) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject)
                .issueTime(Date.from(expiry.minusSeconds(3600))).expirationTime(Date.from(expiry)).build());
        jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Same signature, claims changed: the subject becomes the platform admin. */
    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + b64("{\"sub\":\"platform-admin\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}") + "." + parts[2];
    }
}
