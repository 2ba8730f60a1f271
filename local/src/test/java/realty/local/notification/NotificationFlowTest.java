package realty.local.notification;

import com.rabbitmq.client.GetResponse;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.local.LocalMailServer;
import realty.core.event.payload.UserCreated;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Notifications end to end on the real broker and database: API write → outbox → notification_events
 * → notification function → the embedded SMTP server and webhook receivers on loopback, with the
 * retry tiers shortened so that a retried delivery takes a second, not minutes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private NotificationHarness t;

    @BeforeAll
    void start() throws Exception {
        t = new NotificationHarness(Map.of(
                "realty.retry.notification.max-attempts", 3,
                "realty.retry.notification.delays", List.of("300ms", "600ms"),
                "realty.webhooks.timeout", "2s"), true);
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void userCreatedSendsTheWelcomeMailInTheNewUsersLanguage() throws Exception {
        NotificationHarness.Tenant tenant = t.newTenant("Imobiliária Boas-Vindas");
        String english = NotificationHarness.email("welcome-en");
        String portuguese = NotificationHarness.email("welcome-pt");

        String enEvent = t.createUser(tenant.ownerToken(), english, "agent", tenant.companyId(), "en");
        t.createUser(tenant.ownerToken(), portuguese, "agent", tenant.companyId(), "pt-BR");

        MimeMessage en = NotificationHarness.eventually(WAIT, () -> single(t.mail().messagesTo(english)));
        assertEquals("Welcome to Imobiliária Boas-Vindas", en.getSubject());
        assertEquals(english, en.getAllRecipients()[0].toString().replaceAll(".*<|>", ""));
        assertEquals("en", en.getHeader("Content-Language", ","));
        assertTrue(LocalMailServer.text(en).contains("Hello Test agent,"), LocalMailServer.text(en));
        assertTrue(LocalMailServer.text(en).contains(english), "tells the user which address to sign in with");
        assertTrue(!LocalMailServer.text(en).contains(NotificationHarness.PASSWORD), "never the password");

        MimeMessage pt = NotificationHarness.eventually(WAIT, () -> single(t.mail().messagesTo(portuguese)));
        assertEquals("Bem-vindo(a) à Imobiliária Boas-Vindas", pt.getSubject());
        assertEquals("pt-BR", pt.getHeader("Content-Language", ","));
        assertTrue(LocalMailServer.text(pt).startsWith("Olá, Test agent!"), LocalMailServer.text(pt));

        Map<String, Object> status = NotificationHarness.eventually(WAIT, () -> {
            Map<String, Object> body = t.call("GET", "/api/v1/events/" + enEvent, tenant.ownerToken(), null).body();
            return "PROCESSED".equals(body.get("status")) ? body : null;
        });
        assertEquals(List.of("audit", "notification"), consumers(status));
        assertEquals(1, t.count("SELECT count(*) FROM sent_notifications WHERE event_id = ?::uuid AND status = 'SENT' "
                + "AND template = 'welcome' AND locale = 'en'", enEvent));
    }

    @Test
    void capturedMailCanBeReadFromTheLocalMailboxEndpoint() throws Exception {
        NotificationHarness.Tenant tenant = t.newTenant("Mailbox Imóveis");
        String email = NotificationHarness.email("mailbox");
        t.createUser(tenant.ownerToken(), email, "agent", tenant.companyId(), "en");
        NotificationHarness.eventually(WAIT, () -> single(t.mail().messagesTo(email)));

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                t.mail().mailboxUrl() + "?to=" + email)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, r.statusCode());
        List<?> messages = t.json.readValue(r.body(), io.micronaut.core.type.Argument.listOf(Map.class));
        assertEquals(1, messages.size(), r.body());
        assertEquals("Welcome to Mailbox Imóveis", ((Map<?, ?>) messages.get(0)).get("subject"));
    }

    @Test
    void aSubscriberReceivesTheEnvelopeWithASignatureItCanVerify() throws Exception {
        NotificationHarness.Tenant tenant = t.newTenant("Webhook Signed");
        try (WebhookReceiver receiver = WebhookReceiver.answering(204)) {
            Map<String, Object> subscription = t.subscribe(tenant, receiver.url(), "user.created");
            String secret = (String) subscription.get("secret");
            assertTrue(secret.startsWith("whsec_") && secret.length() > 40, "a strong secret is shown at creation");

            String eventId = t.createUser(tenant.ownerToken(), NotificationHarness.email("signed"), "agent",
                    tenant.companyId(), "en");

            WebhookReceiver.Received got = NotificationHarness.eventually(WAIT, () -> receiver.received.isEmpty() ? null : receiver.received.get(0));
            assertEquals(eventId, got.header("X-Event-Id"));
            assertEquals("user.created", got.header("X-Event-Type"));
            assertEquals("application/json", got.header("Content-Type"));
            String timestamp = got.header("X-Timestamp");
            assertTrue(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) < 60, timestamp);
            assertEquals(hmacSha256(secret, timestamp + "." + new String(got.body(), StandardCharsets.UTF_8)),
                    got.header("X-Signature"), "signature verified with the secret and the JDK's own HMAC");
            Map<?, ?> envelope = t.json.readValue(got.body(), Map.class);
            assertEquals(eventId, envelope.get("id"));
            assertEquals(tenant.companyId(), envelope.get("companyId"));
            assertNotNull(envelope.get("payload"));

            NotificationHarness.eventually(WAIT, () -> t.count("SELECT count(*) FROM webhook_deliveries WHERE event_id = ?::uuid "
                    + "AND status = 'DELIVERED' AND attempts = 1 AND last_response_code = 204", eventId) == 1);
            Thread.sleep(300);
            assertEquals(1, receiver.received.size(), "delivered exactly once");
        }
    }

    @Test
    void aSubscriberThatFailsTwiceGetsExactlyOneSuccessfulDeliveryOnTheThirdAttempt() throws Exception {
        NotificationHarness.Tenant tenant = t.newTenant("Webhook Flaky");
        try (WebhookReceiver receiver = new WebhookReceiver(List.of(500, 500), 200)) {
            t.subscribe(tenant, receiver.url(), "user.created");
            String email = NotificationHarness.email("flaky-hook");
            String eventId = t.createUser(tenant.ownerToken(), email, "agent", tenant.companyId(), "en");

            Map<String, Object> status = NotificationHarness.eventually(WAIT, () -> {
                Map<String, Object> body = t.call("GET", "/api/v1/events/" + eventId, tenant.ownerToken(), null).body();
                return "PROCESSED".equals(body.get("status")) ? body : null;
            });

            assertEquals(List.of(500, 500, 200), receiver.received.stream().map(WebhookReceiver.Received::answered).toList());
            assertEquals(1, receiver.successes());
            assertEquals(3, ((Number) consumer(status, "notification").get("attempts")).intValue(), status.toString());
            assertEquals(1, t.count("SELECT count(*) FROM webhook_deliveries WHERE event_id = ?::uuid AND status = 'DELIVERED' "
                    + "AND attempts = 3 AND last_response_code = 200 AND delivered_at IS NOT NULL", eventId));
            assertEquals(1, t.mail().messagesTo(email).size(), "the retries did not send the welcome mail again");
        }
    }

    @Test
    void aSubscriberThatAlwaysFailsEndsInTheDeadLetterQueueWhileTheOtherIsDeliveredOnce() throws Exception {
        NotificationHarness.Tenant tenant = t.newTenant("Webhook Broken");
        try (WebhookReceiver broken = WebhookReceiver.answering(500); WebhookReceiver healthy = WebhookReceiver.answering(200)) {
            String brokenId = (String) t.subscribe(tenant, broken.url(), "user.created").get("id");
            String healthyId = (String) t.subscribe(tenant, healthy.url(), "user.created").get("id");
            String email = NotificationHarness.email("dead-hook");
            String eventId = t.createUser(tenant.ownerToken(), email, "agent", tenant.companyId(), "en");

            GetResponse dead = t.drainUntil("notification_events.dlq", eventId, WAIT);

            Map<String, Object> h = dead.getProps().getHeaders();
            assertEquals("attempts-exhausted", h.get("x-failure-kind").toString());
            assertEquals(3, ((Number) h.get("x-attempts")).intValue());
            assertEquals("notification_events", h.get("x-original-queue").toString());
            assertEquals("user.created", h.get("x-original-routing-key").toString());
            assertEquals("notification", h.get("x-failed-function").toString());
            assertTrue(h.get("x-exception-class").toString().endsWith("UndeliveredNotificationException"), h.toString());
            String message = h.get("x-exception-message").toString();
            assertTrue(message.contains("webhook " + brokenId + ": answered HTTP 500") && !message.contains(healthyId), message);
            assertNotNull(h.get("x-first-failure-at"));

            assertEquals(3, broken.received.size(), "tried on every attempt");
            assertEquals(1, healthy.received.size(), "the healthy subscriber got the event once, not once per attempt");
            assertEquals(1, t.mail().messagesTo(email).size(), "and the welcome mail went out once");
            assertEquals(1, t.count("SELECT count(*) FROM webhook_deliveries WHERE event_id = ?::uuid AND subscription_id = ?::uuid "
                    + "AND status = 'DEAD' AND attempts = 3 AND last_response_code = 500", eventId, brokenId));
            Map<String, Object> deliveries = t.expect(200, "GET", "/api/v1/webhooks/" + healthyId + "/deliveries",
                    tenant.ownerToken(), null).body();
            Map<?, ?> delivered = (Map<?, ?>) ((List<?>) deliveries.get("items")).get(0);
            assertEquals(eventId, delivered.get("eventId"));
            assertEquals("DELIVERED", delivered.get("status"));
            assertEquals(1, ((Number) delivered.get("attempts")).intValue());
            Map<String, Object> subscription = t.expect(200, "GET", "/api/v1/webhooks/" + brokenId, tenant.ownerToken(), null).body();
            assertEquals(3, ((Number) subscription.get("failureCount")).intValue());
            Map<String, Object> status = t.call("GET", "/api/v1/events/" + eventId, tenant.ownerToken(), null).body();
            assertEquals("DEAD", status.get("status"), status.toString());
        }
    }

    @Test
    void aRedeliveredMessageSendsNoSecondMailAndNoSecondWebhook() throws Exception {
        NotificationHarness.Tenant tenant = t.newTenant("Redelivery");
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            t.subscribe(tenant, receiver.url(), "user.created");
            String ownerId = (String) t.expect(200, "GET", "/api/v1/me", tenant.ownerToken(), null).body().get("id");
            int mailsBefore = t.mail().messagesTo(tenant.ownerEmail()).size();
            EventEnvelope event = EventEnvelope.create(EventType.USER_CREATED, UUID.fromString(tenant.companyId()),
                    Actor.system("test"), "redelivery", null, new AggregateRef("user", ownerId),
                    new UserCreated(UUID.fromString(ownerId), tenant.ownerEmail(), "Owner", "pt-BR", List.of(), List.of()));

            t.deliverToNotificationFunction(event);
            t.deliverToNotificationFunction(event); // Lambda redelivers a batch whose invocation it thinks failed
            // A crash after the sends but before the outcome committed: the consumer record is gone, the ledgers are not.
            t.execute("DELETE FROM consumer_outcomes WHERE event_id = ? AND consumer = 'notification'", event.id());
            t.deliverToNotificationFunction(event);

            assertEquals(mailsBefore + 1, t.mail().messagesTo(tenant.ownerEmail()).size());
            assertEquals(1, receiver.received.size());
            assertEquals(1, t.count("SELECT count(*) FROM sent_notifications WHERE event_id = ?", event.id()));
            assertEquals(1, t.count("SELECT count(*) FROM webhook_deliveries WHERE event_id = ? AND attempts = 1", event.id()));
            assertEquals(1, t.count("SELECT count(*) FROM consumer_outcomes WHERE event_id = ? AND consumer = 'notification' "
                    + "AND status = 'PROCESSED'", event.id()));
        }
    }

    @Test
    void mailsOverThePerRecipientLimitAreHeldAndSummarizedInsteadOfSent() throws Exception {
        NotificationHarness.Tenant tenant = t.newTenant("Rate Limit");
        String ownerId = (String) t.expect(200, "GET", "/api/v1/me", tenant.ownerToken(), null).body().get("id");
        int before = t.mail().messagesTo(tenant.ownerEmail()).size();
        int limit = 20; // realty.mail.max-per-recipient
        int burst = limit + 15;
        for (int i = 0; i < burst; i++) {
            t.deliverToNotificationFunction(EventEnvelope.create(EventType.USER_CREATED, UUID.fromString(tenant.companyId()),
                    Actor.system("test"), "burst", null, new AggregateRef("user", ownerId),
                    new UserCreated(UUID.fromString(ownerId), tenant.ownerEmail(), null, null, List.of(), List.of())));
        }

        int sent = t.mail().messagesTo(tenant.ownerEmail()).size() - before;
        assertEquals(limit - before, sent, "no more than the limit within the window");
        assertEquals(burst - (limit - before), t.count("SELECT count(*) FROM sent_notifications WHERE recipient_email = ? "
                + "AND status = 'HELD'", tenant.ownerEmail()));

        // The window moves on (here: the sent rows are made old); the next event sends one summary of what was held.
        t.execute("UPDATE sent_notifications SET sent_at = sent_at - interval '2 hours' WHERE recipient_email = ?", tenant.ownerEmail());
        t.deliverToNotificationFunction(EventEnvelope.create(EventType.USER_CREATED, UUID.fromString(tenant.companyId()),
                Actor.system("test"), "after", null, new AggregateRef("user", ownerId),
                new UserCreated(UUID.fromString(ownerId), tenant.ownerEmail(), null, null, List.of(), List.of())));

        List<MimeMessage> all = t.mail().messagesTo(tenant.ownerEmail());
        MimeMessage summary = all.stream().filter(m -> subject(m).startsWith("Resumo:")).findFirst().orElseThrow();
        int held = burst - (limit - before);
        assertEquals("Resumo: " + held + " notificações agrupadas", subject(summary));
        assertEquals(held, LocalMailServer.text(summary).lines().filter(l -> l.startsWith("- Bem-vindo(a)")).count());
        assertEquals(0, t.count("SELECT count(*) FROM sent_notifications WHERE recipient_email = ? AND status = 'HELD'",
                tenant.ownerEmail()));
        assertEquals(limit - before + 2, all.size() - before, "the limit's worth, the summary and the event after the window");
    }

    // --- helpers -------------------------------------------------------------------------------

    private static MimeMessage single(List<MimeMessage> messages) {
        return messages.size() == 1 ? messages.get(0) : null;
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> consumers(Map<String, Object> status) {
        return ((List<Map<String, Object>>) status.get("consumers")).stream().map(c -> (String) c.get("consumer")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> consumer(Map<String, Object> status, String name) {
        return ((List<Map<String, Object>>) status.get("consumers")).stream().filter(c -> name.equals(c.get("consumer")))
                .findFirst().orElseThrow();
    }

    private static String hmacSha256(String secret, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }
}
