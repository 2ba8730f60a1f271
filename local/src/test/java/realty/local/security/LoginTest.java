package realty.local.security;

import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.local.TestSystem;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /api/v1/auth/login} through micronaut-security's authenticator: the spec's token
 * answer for good credentials, one 401 problem for every bad one (unknown, wrong, deactivated),
 * each refusal audited, and no second way in through the framework's own {@code /login}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginTest {
    private TestSystem t;
    private String admin;
    private String company;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        admin = t.adminToken();
        company = t.createCompany(admin, "Login Agency");
        t.expect(201, t.createUser(admin, TestSystem.email("owner"), List.of("owner"), List.of(company)));
    }

    @AfterAll
    void stop() {
        t.close();
    }

    private TestSystem.Response login(String username, String password) throws Exception {
        return t.call("POST", "/api/v1/auth/login", null, Map.of("username", username, "password", password));
    }

    private void assertRefusedAndAudited(TestSystem.Response r) throws Exception {
        assertEquals(401, r.status(), r.body().toString());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals(401, ((Number) r.body().get("status")).intValue());
        assertEquals("bad credentials", r.body().get("detail"), "the same answer whatever was wrong");
        assertTrue(TestSystem.eventually(Duration.ofSeconds(15), () -> t.count("SELECT count(*) FROM audit_logs "
                + "WHERE event_type = 'security.access_denied' AND request_id = ? AND data->>'reason' = 'bad credentials'",
                r.requestId()) == 1), "refusal audited: " + r.requestId());
    }

    @Test
    void aUserLogsInWithTheirEmailInAnyCaseAndGetsABearerTokenNamingThem() throws Exception {
        String email = TestSystem.email("agent");
        String id = t.expect(201, t.createUser(admin, email, List.of("agent"), List.of(company))).string("id");

        TestSystem.Response r = login(email.toUpperCase(), TestSystem.PASSWORD);

        assertEquals(200, r.status(), r.body().toString());
        assertEquals(Map.of("access_token", r.body().get("access_token"), "token_type", "Bearer", "expires_in", 3600), r.body());
        assertEquals(id, SignedJWT.parse((String) r.body().get("access_token")).getJWTClaimsSet().getSubject());
        assertEquals(email, t.call("GET", "/api/v1/me", (String) r.body().get("access_token"), null).body().get("email"));
    }

    @Test
    void aWrongPasswordIsRefusedAndAudited() throws Exception {
        String email = TestSystem.email("agent");
        t.expect(201, t.createUser(admin, email, List.of("agent"), List.of(company)));

        assertRefusedAndAudited(login(email, "not-the-password"));
    }

    @Test
    void anUnknownUserIsRefusedAndAudited() throws Exception {
        assertRefusedAndAudited(login(TestSystem.email("nobody"), TestSystem.PASSWORD));
    }

    @Test
    void aDeactivatedUserIsRefusedWithTheRightPassword() throws Exception {
        String email = TestSystem.email("leaver");
        String id = t.expect(201, t.createUser(admin, email, List.of("agent"), List.of(company))).string("id");
        t.expect(200, "PATCH", "/api/v1/users/" + id, admin, Map.of("active", false));

        assertRefusedAndAudited(login(email, TestSystem.PASSWORD));
    }

    @Test
    void aUsernameIsMatchedExactlyNeverAsAPattern() throws Exception {
        t.expect(201, t.createUser(admin, TestSystem.email("pattern"), List.of("agent"), List.of(company)));

        assertRefusedAndAudited(login("%", TestSystem.PASSWORD));
        assertRefusedAndAudited(login("pattern-%@test.realty.dev", TestSystem.PASSWORD));
    }

    @Test
    void thePlatformAdminLogsInWithTheConfiguredPasswordOnly() throws Exception {
        TestSystem.Response r = login("admin", TestSystem.ADMIN_PASSWORD);
        assertEquals(200, r.status(), r.body().toString());
        assertEquals("platform-admin",
                SignedJWT.parse((String) r.body().get("access_token")).getJWTClaimsSet().getSubject());

        assertRefusedAndAudited(login("admin", TestSystem.PASSWORD));
    }

    @Test
    void theFrameworksOwnLoginEndpointIssuesNoToken() throws Exception {
        TestSystem.Response r = t.call("POST", "/login", null, Map.of("username", "admin", "password", TestSystem.ADMIN_PASSWORD));

        assertNotEquals(200, r.status(), r.body().toString());
        assertTrue(r.body().get("access_token") == null, r.body().toString());
    }
}
