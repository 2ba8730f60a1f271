package realty.local.account;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.local.TestSystem;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/v1/me/password}: the current password is checked (a wrong one is refused and
 * audited), and every token issued before the change, or before a deactivation, answers 401 for
 * good, while a login right after works.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasswordChangeTest {
    private static final String NEW_PASSWORD = "another-long-password";
    private TestSystem t;
    private String admin;
    private String company;
    private String ownerToken;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        admin = t.adminToken();
        company = t.createCompany(admin, "Password Agency");
        String owner = TestSystem.email("owner");
        t.expect(201, t.createUser(admin, owner, List.of("owner"), List.of(company)));
        ownerToken = t.login(owner, TestSystem.PASSWORD);
    }

    @AfterAll
    void stop() {
        t.close();
    }

    /** A new agent of the company: its e-mail and id. */
    private String[] newUser() throws Exception {
        String email = TestSystem.email("agent");
        String id = t.expect(201, t.createUser(ownerToken, email, List.of("agent"), List.of(company))).string("id");
        return new String[]{email, id};
    }

    private TestSystem.Response change(String token, String current, String next) throws Exception {
        return t.call("POST", "/api/v1/me/password", token, Map.of("currentPassword", current, "newPassword", next));
    }

    @Test
    void afterAChangeTheOldTokenAnswers401AndTheNewPasswordLogsInAtOnce() throws Exception {
        String[] user = newUser();
        String before = t.login(user[0], TestSystem.PASSWORD);
        t.expect(200, "GET", "/api/v1/me", before, null);

        TestSystem.Response r = change(before, TestSystem.PASSWORD, NEW_PASSWORD);

        assertEquals(204, r.status(), r.body().toString());
        assertEquals(401, t.call("GET", "/api/v1/me", before, null).status(), "a token from before the change is revoked");
        assertEquals(401, t.call("POST", "/api/v1/auth/login", null, Map.of("username", user[0], "password", TestSystem.PASSWORD))
                .status(), "the old password no longer logs in");
        String after = t.login(user[0], NEW_PASSWORD); // right after the answer: the endpoint waited out the iat second
        assertEquals(user[1], t.expect(200, "GET", "/api/v1/me", after, null).string("id"));
        assertTrue(TestSystem.eventually(Duration.ofSeconds(15), () -> t.count("SELECT count(*) FROM audit_logs WHERE event_type = "
                + "'user.password_changed' AND resource_id = ? AND actor_user_id = ? AND data->>'via' = 'change'", user[1], user[1]) == 1));
        assertEquals(0, t.count("SELECT count(*) FROM audit_logs WHERE (data::text LIKE ? OR data::text LIKE ?)",
                "%" + NEW_PASSWORD + "%", "%" + TestSystem.PASSWORD + "%"), "no password in any audit row");
        assertEquals(0, t.count("SELECT count(*) FROM outbox_events WHERE body::text LIKE ? OR body::text LIKE ?",
                "%" + NEW_PASSWORD + "%", "%" + TestSystem.PASSWORD + "%"), "no password in any event");
    }

    @Test
    void aWrongCurrentPasswordIsRefusedAndAuditedAndChangesNothing() throws Exception {
        String[] user = newUser();
        String token = t.login(user[0], TestSystem.PASSWORD);

        TestSystem.Response r = change(token, "not-the-password", NEW_PASSWORD);

        assertEquals(403, r.status(), r.body().toString());
        assertEquals("the current password does not match", r.body().get("detail"));
        assertTrue(TestSystem.eventually(Duration.ofSeconds(15), () -> t.count("SELECT count(*) FROM audit_logs "
                + "WHERE event_type = 'security.access_denied' AND request_id = ? AND actor_user_id = ? "
                + "AND data->>'path' = '/api/v1/me/password' AND data->>'reason' = 'the current password does not match'",
                r.requestId(), user[1]) == 1), "refusal audited");
        assertEquals(0, t.count("SELECT count(*) FROM audit_logs WHERE data::text LIKE '%not-the-password%'"));
        t.expect(200, "GET", "/api/v1/me", token, null);
        t.login(user[0], TestSystem.PASSWORD);
    }

    @Test
    void aNewPasswordShorterThanTenCharactersIsRefusedWith400() throws Exception {
        String[] user = newUser();
        String token = t.login(user[0], TestSystem.PASSWORD);

        TestSystem.Response r = change(token, TestSystem.PASSWORD, "short-pw1");

        assertEquals(400, r.status(), r.body().toString());
        assertTrue(r.map("errors").containsKey("password"), r.body().toString());
        t.expect(200, "GET", "/api/v1/me", token, null);
        t.login(user[0], TestSystem.PASSWORD);
    }

    @Test
    void tokensFromBeforeADeactivationStayDeadAfterReactivation() throws Exception {
        String[] user = newUser();
        String before = t.login(user[0], TestSystem.PASSWORD);
        t.expect(200, "GET", "/api/v1/me", before, null);

        t.expect(200, "PATCH", "/api/v1/users/" + user[1], ownerToken, Map.of("active", false));
        t.expect(200, "PATCH", "/api/v1/users/" + user[1], ownerToken, Map.of("active", true));

        assertEquals(401, t.call("GET", "/api/v1/me", before, null).status(), "reactivation does not revive the old token");
        // The cut-off is rounded up to the next whole second (a JWT's iat has no finer resolution).
        Instant cutOff = ((Timestamp) t.value("SELECT tokens_not_before FROM users WHERE id = ?::uuid", user[1])).toInstant();
        long wait = Duration.between(Instant.now(), cutOff).toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        String after = t.login(user[0], TestSystem.PASSWORD);
        t.expect(200, "GET", "/api/v1/me", after, null);
        assertEquals(401, t.call("GET", "/api/v1/me", before, null).status());
    }

    @Test
    void theOwnerChangingTheirPasswordKeepsOtherUsersTokens() throws Exception {
        String[] other = newUser();
        String othersToken = t.login(other[0], TestSystem.PASSWORD);
        String[] user = newUser();
        String token = t.login(user[0], TestSystem.PASSWORD);

        t.expect(204, change(token, TestSystem.PASSWORD, NEW_PASSWORD));

        t.expect(200, "GET", "/api/v1/me", othersToken, null);
        assertFalse(t.value("SELECT tokens_not_before FROM users WHERE id = ?::uuid", user[1]) == null);
        assertEquals(null, t.value("SELECT tokens_not_before FROM users WHERE id = ?::uuid", other[1]));
    }
}
