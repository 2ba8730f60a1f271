package realty.local.notification;

import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.UserCreated;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outside local mode ({@code realty.webhooks.local-targets-allowed=false}, as in AWS) a webhook may
 * only target public https URLs: refused when subscribing, and refused again when delivering (a
 * host's DNS may point elsewhere by then).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookSafetyTest {
    private NotificationHarness t;
    private NotificationHarness.Tenant tenant;

    @BeforeAll
    void start() throws Exception {
        t = new NotificationHarness(Map.of("realty.webhooks.local-targets-allowed", false), false);
        tenant = t.newTenant("Safety");
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void privateLoopbackMetadataAndPlainHttpUrlsAreRefusedAtSubscription() throws Exception {
        for (String url : List.of("http://93.184.216.34/hook", "https://127.0.0.1/hook", "https://localhost:8443/hook",
                "https://10.0.0.5/hook", "https://192.168.1.20/hook", "https://172.20.0.1/hook", "https://[::1]/hook",
                "https://169.254.169.254/latest/meta-data/", "https://[fd00:ec2::254]/")) {
            NotificationHarness.Response r = t.call("POST", "/api/v1/webhooks", tenant.ownerToken(),
                    Map.of("url", url, "eventTypes", List.of("user.created")));
            assertEquals(400, r.status(), url + " → " + r.body());
            assertTrue(String.valueOf(r.body().get("detail")).startsWith("webhook URL refused"), url + " → " + r.body());
        }
        assertEquals(0, t.count("SELECT count(*) FROM webhook_subscriptions WHERE company_id = ?::uuid", tenant.companyId()));
        t.expect(201, "POST", "/api/v1/webhooks", tenant.ownerToken(),
                Map.of("url", "https://93.184.216.34/hook", "eventTypes", List.of("commission.paid")));
    }

    @Test
    void aTargetThatTurnedPrivateIsRefusedAgainAtDeliveryAndDeadLettered() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.answering(200)) {
            // As if the subscription had passed the check and its host later resolved to loopback.
            UUID subscription = UUID.randomUUID();
            t.execute("INSERT INTO webhook_subscriptions (id, company_id, url, event_types, secret, created_by) "
                    + "VALUES (?, ?::uuid, ?, ARRAY['user.created'], 'whsec_x', 'test')", subscription, tenant.companyId(),
                    receiver.url().replace("http:", "https:"));
            String ownerId = (String) t.expect(200, "GET", "/api/v1/me", tenant.ownerToken(), null).body().get("id");
            EventEnvelope event = EventEnvelope.create(EventType.USER_CREATED, UUID.fromString(tenant.companyId()),
                    Actor.system("test"), "safety", null, new AggregateRef("user", ownerId),
                    new UserCreated(UUID.fromString(ownerId), tenant.ownerEmail(), null, null, List.of(), List.of()));

            t.deliverToNotificationFunction(event);

            assertEquals(0, receiver.received.size(), "never called");
            assertEquals(1, t.count("SELECT count(*) FROM webhook_deliveries WHERE event_id = ? AND subscription_id = ? "
                    + "AND status = 'DEAD' AND last_error LIKE 'refused: %loopback%'", event.id(), subscription));
            GetResponse dead = t.drainUntil("notification_events.dlq", event.id().toString(), Duration.ofSeconds(10));
            assertEquals("permanent", dead.getProps().getHeaders().get("x-failure-kind").toString(), "no retries burnt on it");
            assertEquals(1, t.count("SELECT count(*) FROM sent_notifications WHERE event_id = ? AND status = 'SENT'", event.id()),
                    "the mail of the same event still went out");
        }
    }
}
