package realty.local.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.local.TestSystem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Login throttling end to end (docs/accounts.md, "Login throttling"): 5 failures per account and 20
 * per source address in a window (15 s here, so the test sees it end), then 429 with Retry-After, a
 * correct password included; every failure and every lockout audited without the password. Logins
 * arrive as API Gateway events from chosen source addresses, each test its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginThrottleTest {
    private static final long WINDOW_SECONDS = 15;
    private OwnDatabaseSystem t;

    @BeforeAll
    void start() throws Exception {
        t = new OwnDatabaseSystem(OwnDatabaseSystem.name("throttle"), Map.of(
                "realty.security.login-throttle.account-limit", 5,
                "realty.security.login-throttle.source-limit", 20,
                "realty.security.login-throttle.window", WINDOW_SECONDS + "s"));
        t.openAgency("Throttle Agency");
    }

    @AfterAll
    void stop() {
        t.close();
    }

    private String idOf(String email) throws Exception {
        return (String) t.value("SELECT id::text FROM users WHERE email = ?", email);
    }

    private long audited(String type, String resourceType, String resourceId) throws Exception {
        return t.count("SELECT count(*) FROM audit_logs WHERE event_type = ? AND resource_type = ? AND resource_id = ?",
                type, resourceType, resourceId);
    }

    private void assertNowhereInTheAuditOrOutbox(String text) throws Exception {
        assertEquals(0, t.count("SELECT count(*) FROM audit_logs WHERE strpos(data::text || coalesce(resource_id, ''), ?) > 0", text));
        assertEquals(0, t.count("SELECT count(*) FROM outbox_events WHERE strpos(body::text, ?) > 0", text));
    }

    @Test
    void theSixthAttemptOfAnAccountAnswers429WithRetryAfterEvenWithTheRightPasswordAndTheFailuresAreAudited() throws Exception {
        String email = t.agent("locked");
        String source = "198.51.100.1";
        for (int i = 1; i <= 5; i++) {
            OwnDatabaseSystem.Answer r = t.login(source, email, "wrong-guess-" + i);
            assertEquals(401, r.status(), "failure " + i + ": " + r.body());
            assertEquals("bad credentials", r.body().get("detail"));
        }

        OwnDatabaseSystem.Answer sixth = t.login(source, email, TestSystem.PASSWORD);

        assertEquals(429, sixth.status(), sixth.body().toString());
        assertEquals(429, ((Number) sixth.body().get("status")).intValue());
        assertNotNull(sixth.retryAfter(), "Retry-After header");
        assertTrue(sixth.retryAfter() >= 1 && sixth.retryAfter() <= WINDOW_SECONDS, "Retry-After " + sixth.retryAfter());
        // from another address too: the account is locked, not the address
        assertEquals(429, t.login("198.51.100.99", email, TestSystem.PASSWORD).status());

        String id = idOf(email);
        TestSystem.eventually(Duration.ofSeconds(20), () -> audited("security.login_failed", "user", id) == 5
                && audited("security.login_locked", "user", id) == 1);
        assertEquals("account", t.value("SELECT data->>'scope' FROM audit_logs WHERE event_type = 'security.login_locked' "
                + "AND resource_id = ?", id));
        assertEquals(source, t.value("SELECT DISTINCT source_ip FROM audit_logs WHERE event_type = 'security.login_failed' "
                + "AND resource_id = ?", id), "the gateway's sourceIp, not X-Forwarded-For");
        assertEquals("wrong password", t.value("SELECT DISTINCT data->>'reason' FROM audit_logs "
                + "WHERE event_type = 'security.login_failed' AND resource_id = ?", id));
        for (int i = 1; i <= 5; i++) {
            assertNowhereInTheAuditOrOutbox("wrong-guess-" + i);
        }
        assertNowhereInTheAuditOrOutbox(TestSystem.PASSWORD);
    }

    @Test
    void anUnknownAccountIsThrottledAndAnsweredLikeAKnownOneWithoutKeepingTheTypedEmail() throws Exception {
        String known = t.agent("known");
        String unknown = TestSystem.email("nobody");
        for (int i = 1; i <= 5; i++) {
            OwnDatabaseSystem.Answer k = t.login("198.51.100.2", known, "known-guess-" + i);
            OwnDatabaseSystem.Answer u = t.login("198.51.100.3", unknown, "unknown-guess-" + i);
            assertEquals(k.status(), u.status());
            assertEquals(k.body(), u.body(), "one answer whether the e-mail exists or not");
        }
        OwnDatabaseSystem.Answer k = t.login("198.51.100.2", known, "known-guess-6");
        OwnDatabaseSystem.Answer u = t.login("198.51.100.3", unknown, "unknown-guess-6");
        assertEquals(429, k.status());
        assertEquals(429, u.status());
        assertEquals(k.body(), u.body());

        TestSystem.eventually(Duration.ofSeconds(20), () -> t.count("SELECT count(*) FROM audit_logs WHERE event_type = "
                + "'security.login_failed' AND resource_type = 'login' AND data->>'reason' = 'unknown account' "
                + "AND source_ip = '198.51.100.3'") == 5);
        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_type = 'security.login_locked' "
                + "AND resource_type = 'login' AND source_ip = '198.51.100.3'"));
        assertNowhereInTheAuditOrOutbox(unknown);
        assertEquals(0, t.count("SELECT count(*) FROM login_throttles WHERE strpos(key, ?) > 0", unknown));
    }

    @Test
    void twentyFailuresFromOneAddressLockThatAddressForEveryAccountButNotTheAccountsElsewhere() throws Exception {
        String source = "198.51.100.4";
        String victim = t.agent("victim");
        for (int i = 1; i <= 20; i++) {
            // one guess per account: the account limit never applies, only the address's
            assertEquals(401, t.login(source, TestSystem.email("spray" + i), "spray-guess").status(), "failure " + i);
        }

        OwnDatabaseSystem.Answer refused = t.login(source, victim, TestSystem.PASSWORD);

        assertEquals(429, refused.status(), refused.body().toString());
        assertTrue(refused.retryAfter() >= 1 && refused.retryAfter() <= WINDOW_SECONDS, "Retry-After " + refused.retryAfter());
        assertEquals(200, t.login("198.51.100.5", victim, TestSystem.PASSWORD).status(), "the same account from elsewhere");
        TestSystem.eventually(Duration.ofSeconds(20), () -> t.count("SELECT count(*) FROM audit_logs WHERE event_type = "
                + "'security.login_failed' AND source_ip = ?", source) == 20
                && audited("security.login_locked", "source", "source:" + source) == 1);
    }

    @Test
    void loggingInToOnesOwnAccountBetweenGuessesDoesNotResetTheAddressCount() throws Exception {
        String source = "198.51.100.6";
        String own = t.agent("attacker");
        for (int i = 1; i <= 20; i++) {
            assertEquals(200, t.login(source, own, TestSystem.PASSWORD).status(), "own login " + i);
            assertEquals(401, t.login(source, TestSystem.email("target" + i), "guess").status(), "guess " + i);
        }

        assertEquals(429, t.login(source, TestSystem.email("target21"), "guess").status());
        assertEquals(429, t.login(source, own, TestSystem.PASSWORD).status(), "the address is locked for every account");
    }

    @Test
    void theLockoutEndsWhenTheWindowPasses() throws Exception {
        String email = t.agent("patient");
        String source = "198.51.100.7";
        for (int i = 1; i <= 5; i++) {
            assertEquals(401, t.login(source, email, "wrong").status());
        }
        OwnDatabaseSystem.Answer locked = t.login(source, email, TestSystem.PASSWORD);
        assertEquals(429, locked.status());

        Thread.sleep(locked.retryAfter() * 1000 + 500);

        OwnDatabaseSystem.Answer after = t.login(source, email, TestSystem.PASSWORD);
        assertEquals(200, after.status(), after.body().toString());
        assertNull(after.retryAfter());
        assertNotNull(after.body().get("access_token"));
    }

    @Test
    void twentyConcurrentWrongAttemptsGetNoMorePasswordChecksThanTheLimit() throws Exception {
        String email = t.agent("stormed");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<OwnDatabaseSystem.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String source = "198.51.100." + (100 + i);
                Callable<OwnDatabaseSystem.Answer> attempt = () -> {
                    go.await();
                    return t.login(source, email, "parallel-guess");
                };
                answers.add(pool.submit(attempt));
            }
            go.countDown();
            int refusedByPassword = 0;
            int throttled = 0;
            for (Future<OwnDatabaseSystem.Answer> a : answers) {
                int status = a.get().status();
                if (status == 401) {
                    refusedByPassword++;
                } else if (status == 429) {
                    throttled++;
                }
            }
            assertEquals(5, refusedByPassword, "password checks: exactly the account limit");
            assertEquals(15, throttled);
        } finally {
            pool.shutdownNow();
        }
        String id = idOf(email);
        TestSystem.eventually(Duration.ofSeconds(20), () -> audited("security.login_failed", "user", id) == 5
                && audited("security.login_locked", "user", id) == 1);
        assertEquals(429, t.login("198.51.100.8", email, TestSystem.PASSWORD).status());
    }
}
