package realty.local.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.local.TestSystem;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Throttling of the password endpoints (docs/accounts.md): reset requests per e-mail (5) and per source
 * address (20), wrong current passwords of a password change per user (5), in a window (10 s here, so
 * the test sees it end); past a limit 429 with Retry-After, audited as security.access_denied (429).
 * The reset answer stays the same for known and unknown e-mails on both sides of the limit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasswordThrottleTest {
    private static final long WINDOW_SECONDS = 10;
    private static final String RESET = "/api/v1/auth/password-reset";
    private OwnDatabaseSystem t;

    @BeforeAll
    void start() throws Exception {
        t = new OwnDatabaseSystem(OwnDatabaseSystem.name("pwthrottle"), Map.of(
                "realty.security.password-throttle.reset-email-limit", 5,
                "realty.security.password-throttle.reset-source-limit", 20,
                "realty.security.password-throttle.change-limit", 5,
                "realty.security.password-throttle.window", WINDOW_SECONDS + "s"));
        t.openAgency("Password Throttle Agency");
    }

    @AfterAll
    void stop() {
        t.close();
    }

    private long resetRows() throws Exception {
        return t.count("SELECT count(*) FROM password_reset_requests");
    }

    private long resetEvents() throws Exception {
        return t.count("SELECT count(*) FROM outbox_events WHERE type = 'user.password_reset_requested'");
    }

    private boolean throttleAudited(String source, String path, String reason, long n) throws Exception {
        return t.count("SELECT count(*) FROM audit_logs WHERE event_type = 'security.access_denied' AND source_ip = ? "
                + "AND (data->>'status')::int = 429 AND data->>'path' = ? AND data->>'reason' = ?", source, path, reason) == n;
    }

    private static void assertRetryAfterWithinTheWindow(OwnDatabaseSystem.Answer r) {
        assertNotNull(r.retryAfter(), "Retry-After header");
        assertTrue(r.retryAfter() >= 1 && r.retryAfter() <= WINDOW_SECONDS, "Retry-After " + r.retryAfter());
    }

    @Test
    void theSixthResetRequestForAnEmailAnswers429AlikeForKnownAndUnknownEmailsAndIsAudited() throws Exception {
        String known = t.agent("reset-known");
        String unknown = TestSystem.email("reset-nobody");
        String knownSource = "198.51.100.21";
        String unknownSource = "198.51.100.22";
        for (int i = 1; i <= 5; i++) {
            long rows = resetRows();
            long events = resetEvents();
            OwnDatabaseSystem.Answer k = t.post(knownSource, RESET, null, Map.of("email", known));
            OwnDatabaseSystem.Answer u = t.post(unknownSource, RESET, null, Map.of("email", unknown.toUpperCase()));
            assertEquals(202, k.status(), "request " + i + ": " + k.body());
            assertEquals(202, u.status(), "request " + i + ": " + u.body());
            assertEquals(k.body(), u.body());
            // below the limit the same work for both: one row and one event each
            assertEquals(rows + 2, resetRows());
            assertEquals(events + 2, resetEvents());
        }
        long rows = resetRows();
        long events = resetEvents();

        OwnDatabaseSystem.Answer k = t.post(knownSource, RESET, null, Map.of("email", known));
        OwnDatabaseSystem.Answer u = t.post(unknownSource, RESET, null, Map.of("email", unknown));

        assertEquals(429, k.status(), k.body().toString());
        assertEquals(429, u.status(), u.body().toString());
        assertEquals(k.body(), u.body(), "past the limit too, the answer does not tell whether the e-mail exists");
        assertRetryAfterWithinTheWindow(k);
        assertRetryAfterWithinTheWindow(u);
        assertEquals(rows, resetRows(), "a refused request stores nothing");
        assertEquals(events, resetEvents(), "and emits nothing");
        // the e-mail is throttled, not the address: another e-mail from the same address is accepted
        assertEquals(202, t.post(knownSource, RESET, null, Map.of("email", TestSystem.email("other"))).status());
        String reason = (String) k.body().get("detail");
        assertTrue(TestSystem.eventually(Duration.ofSeconds(20), () -> throttleAudited(knownSource, RESET, reason, 1)
                && throttleAudited(unknownSource, RESET, reason, 1)), "each 429 audited as security.access_denied");
        assertEquals(0, t.count("SELECT count(*) FROM login_throttles WHERE strpos(key, ?) > 0 OR strpos(key, ?) > 0",
                known, unknown.toLowerCase()), "no typed e-mail is kept");
    }

    @Test
    void twentyOneResetRequestsFromOneAddressAnswer429ButOtherAddressesAreServed() throws Exception {
        String source = "198.51.100.23";
        for (int i = 1; i <= 20; i++) {
            // one request per e-mail: only the address's limit applies
            assertEquals(202, t.post(source, RESET, null, Map.of("email", TestSystem.email("spray" + i))).status(), "request " + i);
        }
        String victim = t.agent("reset-victim");

        OwnDatabaseSystem.Answer refused = t.post(source, RESET, null, Map.of("email", victim));

        assertEquals(429, refused.status(), refused.body().toString());
        assertRetryAfterWithinTheWindow(refused);
        assertEquals(202, t.post("198.51.100.24", RESET, null, Map.of("email", victim)).status(), "the victim, from elsewhere");
        assertTrue(TestSystem.eventually(Duration.ofSeconds(20),
                () -> throttleAudited(source, RESET, (String) refused.body().get("detail"), 1)));
    }

    @Test
    void afterFiveWrongCurrentPasswordsAChangeAnswers429UntilTheWindowEndsTheRightPasswordIncluded() throws Exception {
        String email = t.agent("change");
        String token = t.login(email, TestSystem.PASSWORD);
        String source = "198.51.100.25";
        String path = "/api/v1/me/password";
        Map<String, String> right = Map.of("currentPassword", TestSystem.PASSWORD, "newPassword", "a-brand-new-password");
        for (int i = 1; i <= 5; i++) {
            OwnDatabaseSystem.Answer r = t.post(source, path, token, Map.of("currentPassword", "wrong-current-" + i,
                    "newPassword", "a-brand-new-password"));
            assertEquals(403, r.status(), "wrong password " + i + ": " + r.body());
        }

        OwnDatabaseSystem.Answer locked = t.post(source, path, token, right);

        assertEquals(429, locked.status(), locked.body().toString());
        assertRetryAfterWithinTheWindow(locked);
        // per user: from another address too
        assertEquals(429, t.post("198.51.100.26", path, token, right).status());
        assertTrue(TestSystem.eventually(Duration.ofSeconds(20),
                () -> throttleAudited(source, path, (String) locked.body().get("detail"), 1)), "the 429 is audited");
        assertEquals(0, t.count("SELECT count(*) FROM audit_logs WHERE strpos(data::text, 'wrong-current-') > 0"),
                "no typed password in the audit");
        t.login(email, TestSystem.PASSWORD); // nothing changed

        Thread.sleep((locked.retryAfter() + 1) * 1000);
        assertEquals(204, t.post(source, path, token, right).status(), "the window ended");
        t.login(email, "a-brand-new-password");
    }

    @Test
    void aRightCurrentPasswordClearsTheWrongOnesBeforeTheLimit() throws Exception {
        String email = t.agent("change-clear");
        String token = t.login(email, TestSystem.PASSWORD);
        String source = "198.51.100.27";
        String path = "/api/v1/me/password";
        for (int i = 1; i <= 4; i++) {
            assertEquals(403, t.post(source, path, token, Map.of("currentPassword", "wrong-" + i, "newPassword", "another-long-password")).status());
        }
        // right current password, refused new one (the policy): the four failures are forgotten
        assertEquals(400, t.post(source, path, token, Map.of("currentPassword", TestSystem.PASSWORD, "newPassword", "short")).status());
        for (int i = 5; i <= 9; i++) {
            assertEquals(403, t.post(source, path, token, Map.of("currentPassword", "wrong-" + i, "newPassword", "another-long-password")).status(),
                    "failure " + i);
        }
        assertEquals(429, t.post(source, path, token, Map.of("currentPassword", TestSystem.PASSWORD, "newPassword", "another-long-password")).status());
    }
}
