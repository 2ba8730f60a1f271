package realty.local.user;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.local.TestSystem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * P1's invitation path ({@code POST /users} without a password) end to end: one pooled database
 * connection per request, caller included, and concurrent requests each answered with their event
 * confirmed by the broker (issue 16).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvitationPathTest {
    private TestSystem t;
    private String company;
    private String owner;

    @BeforeAll
    void start() throws Exception {
        // Hikari takes either a meter registry or a tracker factory: the counting tracker replaces the local metrics binder here.
        t = new TestSystem(Map.of(), Map.of(ConnectionCounting.PROPERTY, "true", "micronaut.metrics.binders.jdbc.enabled", false));
        String admin = t.adminToken();
        company = t.createCompany(admin, "Invitation Path Agency");
        String email = TestSystem.email("owner");
        t.expect(201, t.createUser(admin, email, List.of("owner"), List.of(company)));
        owner = t.login(email, TestSystem.PASSWORD);
    }

    @AfterAll
    void stop() {
        t.close();
    }

    private TestSystem.Response invite(String prefix) throws Exception {
        return t.call("POST", "/api/v1/users", owner, Map.of("email", TestSystem.email(prefix), "name", "Invited " + prefix,
                "profiles", List.of("agent"), "companyIds", List.of(company)));
    }

    @Test
    void aRequestTakesOneConnectionFromThePoolCallerIncluded() throws Exception {
        invite("warm-up");
        long before = ConnectionCounting.BY_REQUESTS.get();
        TestSystem.Response created = t.expect(201, invite("counted"));
        assertEquals(1, ConnectionCounting.BY_REQUESTS.get() - before,
                "connections taken by one POST /users (caller, write, publish): before issue 16 three");
        assertEquals("PUBLISHED", created.events().get(0).get("status"));

        before = ConnectionCounting.BY_REQUESTS.get();
        t.expect(200, t.call("GET", "/api/v1/users/" + created.body().get("id"), owner, null));
        assertEquals(1, ConnectionCounting.BY_REQUESTS.get() - before, "connections taken by one GET /users/{id}");
    }

    /**
     * The user, profiles and companies are written in one statement and the answer is built from what
     * was written, not read back: it must be the user as stored, field by field and in the same order.
     */
    @Test
    void theAnswerIsTheUserAsStored() throws Exception {
        String admin = t.adminToken();
        String second = t.createCompany(admin, "Invitation Path Second Agency");
        TestSystem.Response created = t.expect(201, t.call("POST", "/api/v1/users", admin, Map.of(
                "email", TestSystem.email("stored"), "name", " Stored As Sent ", "locale", "en",
                "profiles", List.of("prospector", "financial", "agent"), "companyIds", List.of(second, company))));
        Map<String, Object> answered = new HashMap<>(created.body());
        answered.remove("events");
        Map<String, Object> stored = new HashMap<>(t.expect(200, t.call("GET", "/api/v1/users/" + answered.get("id"), admin, null)).body());
        stored.remove("events");
        assertEquals(stored, answered);
        assertEquals(List.of("agent", "financial", "prospector"), answered.get("profiles"));
        assertEquals("Stored As Sent", answered.get("name"));
        assertEquals(Boolean.TRUE, answered.get("active"));
    }

    @Test
    void concurrentInvitationsAreEachAnsweredAfterTheirOwnConfirm() throws Exception {
        int n = 24;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<TestSystem.Response>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                calls.add(pool.submit(() -> {
                    go.await();
                    return invite("concurrent-" + k);
                }));
            }
            go.countDown();
            List<UUID> events = new ArrayList<>();
            for (Future<TestSystem.Response> call : calls) {
                TestSystem.Response r = t.expect(201, call.get());
                assertEquals("PUBLISHED", r.events().get(0).get("status"), r.body().toString());
                events.add(r.event("user.created"));
            }
            // PUBLISHED in the answer is PUBLISHED in the outbox, and the broker has each event once.
            assertEquals(n, t.count("SELECT count(*) FROM outbox_events WHERE status = 'PUBLISHED' AND id = ANY(?::uuid[])",
                    (Object) events.stream().map(UUID::toString).toArray(String[]::new)));
        } finally {
            pool.shutdownNow();
        }
    }
}
