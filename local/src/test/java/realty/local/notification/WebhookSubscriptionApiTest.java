package realty.local.notification;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/webhooks}: who may do what (spec/domain.md §2.2, WEBHOOK), tenancy, the secret shown once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookSubscriptionApiTest {
    private static final String URL = "http://127.0.0.1:9/hook"; // local mode: loopback is allowed, nothing is delivered
    private NotificationHarness t;
    private NotificationHarness.Tenant a;
    private NotificationHarness.Tenant b;

    @BeforeAll
    void start() throws Exception {
        t = new NotificationHarness(Map.of(), false);
        a = t.newTenant("Webhooks A");
        b = t.newTenant("Webhooks B");
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void ownerCreatesASubscriptionAndSeesItsSecretOnlyOnce() throws Exception {
        Map<String, Object> created = t.expect(201, "POST", "/api/v1/webhooks", a.ownerToken(),
                Map.of("url", URL, "eventTypes", List.of("user.created", "commission.paid"), "description", "ERP")).body();

        String id = (String) created.get("id");
        assertTrue(((String) created.get("secret")).startsWith("whsec_"));
        assertEquals(a.companyId(), created.get("companyId"));
        assertEquals(List.of("user.created", "commission.paid"), created.get("eventTypes"));
        Map<String, Object> read = t.expect(200, "GET", "/api/v1/webhooks/" + id, a.ownerToken(), null).body();
        assertNull(read.get("secret"), "the secret is never shown again");
        assertEquals("ERP", read.get("description"));
        Map<String, Object> list = t.expect(200, "GET", "/api/v1/webhooks", a.ownerToken(), null).body();
        List<?> items = (List<?>) list.get("items");
        assertTrue(items.stream().anyMatch(i -> id.equals(((Map<?, ?>) i).get("id"))));
        assertTrue(items.stream().allMatch(i -> ((Map<?, ?>) i).get("secret") == null));
        assertEquals(1, t.count("SELECT count(*) FROM webhook_subscriptions WHERE id = ?::uuid AND secret = ?", id, created.get("secret")));
    }

    @Test
    void managerManagesDirectorOnlyReadsAgentHasNoAccess() throws Exception {
        String manager = login(a, "manager");
        String director = login(a, "director");
        String agent = login(a, "agent");
        Map<String, Object> body = Map.of("url", URL, "eventTypes", List.of("user.created"));

        String id = (String) t.expect(201, "POST", "/api/v1/webhooks", manager, body).body().get("id");
        t.expect(200, "GET", "/api/v1/webhooks/" + id, director, null);
        t.expect(200, "GET", "/api/v1/webhooks", director, null);
        t.expect(403, "POST", "/api/v1/webhooks", director, body);
        t.expect(403, "DELETE", "/api/v1/webhooks/" + id, director, null);
        t.expect(403, "GET", "/api/v1/webhooks", agent, null);
        t.expect(403, "POST", "/api/v1/webhooks", agent, body);
        t.expect(204, "DELETE", "/api/v1/webhooks/" + id, manager, null);
        t.expect(404, "GET", "/api/v1/webhooks/" + id, manager, null);
        t.expect(404, "DELETE", "/api/v1/webhooks/" + id, manager, null);
        assertEquals(1, t.count("SELECT count(*) FROM webhook_subscriptions WHERE id = ?::uuid AND NOT active", id),
                "deleting deactivates: the delivery history stays");
    }

    @Test
    void anotherCompanysSubscriptionIsNotFoundAndCannotBeCreatedThere() throws Exception {
        String id = (String) t.subscribe(b, URL, "user.created").get("id");

        t.expect(404, "GET", "/api/v1/webhooks/" + id, a.ownerToken(), null);
        t.expect(404, "DELETE", "/api/v1/webhooks/" + id, a.ownerToken(), null);
        t.expect(404, "GET", "/api/v1/webhooks/" + id + "/deliveries", a.ownerToken(), null);
        List<?> items = (List<?>) t.expect(200, "GET", "/api/v1/webhooks", a.ownerToken(), null).body().get("items");
        assertFalse(items.stream().anyMatch(i -> id.equals(((Map<?, ?>) i).get("id"))));
        NotificationHarness.Response r = t.call("POST", "/api/v1/webhooks", a.ownerToken(),
                Map.of("url", URL, "eventTypes", List.of("user.created"), "companyId", b.companyId()));
        assertEquals(403, r.status());
        assertTrue(String.valueOf(r.body().get("detail")).contains("multi-tenancy violation"), r.body().toString());
        assertEquals(1, t.count("SELECT count(*) FROM webhook_subscriptions WHERE id = ?::uuid AND active", id));
    }

    @Test
    void invalidSubscriptionsAreRefusedWithTheFieldInError() throws Exception {
        assertField(Map.of("url", URL, "eventTypes", List.of("sale.completed")), "eventTypes");
        assertField(Map.of("url", URL, "eventTypes", List.of()), "eventTypes");
        assertField(Map.of("url", "ftp://127.0.0.1/x", "eventTypes", List.of("user.created")), "url");
        assertField(Map.of("url", "http://169.254.169.254/latest/meta-data", "eventTypes", List.of("user.created")), "url");
        assertEquals(400, t.call("GET", "/api/v1/webhooks?limit=0", a.ownerToken(), null).status());
    }

    @Test
    void listsArePagedWithACursor() throws Exception {
        NotificationHarness.Tenant c = t.newTenant("Webhooks Paged");
        for (int i = 0; i < 3; i++) {
            t.subscribe(c, URL, "user.created");
        }
        Map<String, Object> first = t.expect(200, "GET", "/api/v1/webhooks?limit=2", c.ownerToken(), null).body();
        assertEquals(2, ((List<?>) first.get("items")).size());
        Map<String, Object> second = t.expect(200, "GET", "/api/v1/webhooks?limit=2&cursor=" + first.get("nextCursor"),
                c.ownerToken(), null).body();
        assertEquals(1, ((List<?>) second.get("items")).size());
        assertNull(second.get("nextCursor"));
    }

    private void assertField(Map<String, Object> body, String field) throws Exception {
        NotificationHarness.Response r = t.call("POST", "/api/v1/webhooks", a.ownerToken(), body);
        assertEquals(400, r.status(), body + " → " + r.body());
        assertTrue(String.valueOf(r.body().get("errors")).contains(field) || String.valueOf(r.body().get("detail")).contains(field),
                body + " → " + r.body());
    }

    private String login(NotificationHarness.Tenant tenant, String profile) throws Exception {
        String email = NotificationHarness.email(profile);
        t.createUser(tenant.ownerToken(), email, profile, tenant.companyId(), "en");
        return t.login(email, NotificationHarness.PASSWORD);
    }
}
