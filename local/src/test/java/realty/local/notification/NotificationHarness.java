package realty.local.notification;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import realty.core.event.EventEnvelope;
import realty.local.LocalMailServer;
import realty.local.TestSystem;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole system for the notification tests ({@link TestSystem}, with the embedded SMTP server of
 * its {@link realty.local.LocalSystem}), and the tenants, users and subscriptions these tests make.
 */
final class NotificationHarness extends TestSystem {
    private final boolean eventSources;

    /** A company with its owner, logged in. */
    record Tenant(String companyId, String ownerEmail, String ownerToken) {
    }

    NotificationHarness(Map<String, Object> properties, boolean eventSources) throws Exception {
        super(Map.of(), properties, eventSources);
        this.eventSources = eventSources;
    }

    LocalMailServer mail() {
        return system.mailServer();
    }

    Tenant newTenant(String name) throws Exception {
        String admin = adminToken();
        String companyId = createCompany(admin, name);
        String owner = email("owner");
        createUser(admin, owner, "owner", companyId, "pt-BR");
        if (eventSources) {
            // Its welcome mail means the owner's user.created is through: no later subscription sees it.
            eventually(Duration.ofSeconds(20), () -> !mail().messagesTo(owner).isEmpty());
        }
        return new Tenant(companyId, owner, login(owner, PASSWORD));
    }

    /** Creates a user and returns the id of its user.created event. */
    String createUser(String token, String email, String profile, String companyId, String locale) throws Exception {
        return expect(201, "POST", "/api/v1/users", token, Map.of("email", email, "name", "Test " + profile,
                "password", PASSWORD, "profiles", List.of(profile), "companyIds", List.of(companyId), "locale", locale))
                .event("user.created").toString();
    }

    /** Subscribes the tenant to an event type and returns the creation answer (with the secret). */
    Map<String, Object> subscribe(Tenant tenant, String url, String eventType) throws Exception {
        return expect(201, "POST", "/api/v1/webhooks", tenant.ownerToken(), Map.of("url", url, "eventTypes", List.of(eventType)))
                .body();
    }

    /** Hands one message to the notification function as Lambda's event source would (it needs no Lambda context). */
    void deliverToNotificationFunction(EventEnvelope event) {
        RabbitMQEvent batch = batch("notification_events", List.of(message(event.id().toString(), event.type(), 5, null, encode(event))));
        system.queueFunction("notification").handleRequest(batch, null);
    }
}
