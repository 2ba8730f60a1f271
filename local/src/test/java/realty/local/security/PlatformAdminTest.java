package realty.local.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.api.auth.PlatformAdminBootstrap;
import realty.api.deploy.DeployTaskFunction;
import realty.api.security.PasswordHasher;
import realty.local.TestSystem;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform admin is a users row (docs/accounts.md, "Platform admin"): created once from
 * configuration by the bootstrap (the local runner's start here, the deploy task in AWS), never
 * overwritten after, outside every company, and logging in through the same throttling and audit as
 * everyone. On a database of its own: this class changes and deletes the admin row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlatformAdminTest {
    private static final String SOURCE = "192.0.2.10";
    private OwnDatabaseSystem t;

    @BeforeAll
    void start() throws Exception {
        t = new OwnDatabaseSystem(OwnDatabaseSystem.name("admin"), Map.of(
                "realty.security.login-throttle.account-limit", 5,
                "realty.security.login-throttle.window", "10s"));
    }

    @AfterAll
    void stop() {
        t.close();
    }

    @BeforeEach
    void freshCounters() throws Exception {
        t.execute("DELETE FROM login_throttles");
    }

    private String adminId() throws Exception {
        return (String) t.value("SELECT id::text FROM users WHERE platform_admin");
    }

    private PlatformAdminBootstrap bootstrap() {
        return t.system.apiContext().getBean(PlatformAdminBootstrap.class);
    }

    @Test
    void theStartCreatedOneHashedAdminRowOutsideEveryCompanyThatLogsInAsThePlatformAdmin() throws Exception {
        assertEquals(1, t.count("SELECT count(*) FROM users WHERE platform_admin"));
        String hash = (String) t.value("SELECT password_hash FROM users WHERE platform_admin AND email = 'admin'");
        assertTrue(hash.startsWith("$2"), "a bcrypt hash: " + hash);
        assertEquals(0, t.count("SELECT count(*) FROM user_companies WHERE user_id = CAST(? AS uuid)", adminId()));
        assertEquals(0, t.count("SELECT count(*) FROM user_profiles WHERE user_id = CAST(? AS uuid)", adminId()));

        TestSystem.Response me = t.expect(200, "GET", "/api/v1/me", t.adminToken(), null);
        assertEquals("platform-admin", me.string("id"));
        assertEquals(true, me.body().get("platformAdmin"));
        Object companies = me.body().get("companyIds"); // an empty list is left out of the JSON
        assertTrue(companies == null || ((List<?>) companies).isEmpty(), String.valueOf(companies));
    }

    @Test
    void theAdminCannotBeMadeAMemberOfACompany() throws Exception {
        String company = t.createCompany(t.adminToken(), "Tenancy Agency");
        SQLException refused = assertThrows(SQLException.class, () -> t.execute(
                "INSERT INTO user_companies (user_id, company_id) VALUES (CAST(? AS uuid), CAST(? AS uuid))", adminId(), company));
        assertTrue(refused.getMessage().contains("belongs to no company"), refused.getMessage());
    }

    @Test
    void theDeployTaskAndLaterStartsKeepAPasswordChangedSince() throws Exception {
        String changed = "a-password-changed-through-the-api";
        PasswordHasher hasher = t.system.apiContext().getBean(PasswordHasher.class);
        String original = (String) t.value("SELECT password_hash FROM users WHERE platform_admin");
        // what the password change endpoint writes
        t.execute("UPDATE users SET password_hash = ? WHERE platform_admin", hasher.hash(changed));
        try {
            Map<String, Object> deployed = new DeployTaskFunction(t.system.apiContext()).execute(Map.of());
            assertEquals("exists", deployed.get("platformAdmin"), deployed.toString());
            assertEquals(PlatformAdminBootstrap.Outcome.EXISTS, bootstrap().ensure());

            assertEquals(1, t.count("SELECT count(*) FROM users WHERE platform_admin"));
            assertEquals(401, t.login(SOURCE, "admin", TestSystem.ADMIN_PASSWORD).status(), "the configured password no longer works");
            assertEquals(200, t.login(SOURCE, "admin", changed).status(), "the changed one does");
        } finally {
            t.execute("UPDATE users SET password_hash = ? WHERE platform_admin", original);
        }
    }

    @Test
    void theAdminRotatesItsPasswordThroughTheApiWithoutARedeploy() throws Exception {
        String original = (String) t.value("SELECT password_hash FROM users WHERE platform_admin");
        String token = (String) t.login(SOURCE, "admin", TestSystem.ADMIN_PASSWORD).body().get("access_token");
        String rotated = "rotated-operator-secret-" + UUID.randomUUID(); // the policy refuses one containing "admin", the e-mail
        try {
            assertEquals(204, t.post(SOURCE, "/api/v1/me/password", token,
                    Map.of("currentPassword", TestSystem.ADMIN_PASSWORD, "newPassword", rotated)).status());
            assertEquals(401, t.login(SOURCE, "admin", TestSystem.ADMIN_PASSWORD).status(), "the configured password no longer works");
            assertEquals(200, t.login(SOURCE, "admin", rotated).status(), "the rotated one does");
            assertEquals(PlatformAdminBootstrap.Outcome.EXISTS, bootstrap().ensure(), "a later start keeps the rotated password");
            assertEquals(200, t.login(SOURCE, "admin", rotated).status());
        } finally {
            t.execute("UPDATE users SET password_hash = ? WHERE platform_admin", original);
            t.execute("DELETE FROM login_throttles");
        }
    }

    @Test
    void instancesBootstrappingAtOnceCreateExactlyOneAdmin() throws Exception {
        t.execute("DELETE FROM users WHERE platform_admin");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<PlatformAdminBootstrap.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<PlatformAdminBootstrap.Outcome> run = () -> {
                    go.await();
                    return bootstrap().ensure();
                };
                outcomes.add(pool.submit(run));
            }
            go.countDown();
            int created = 0;
            for (Future<PlatformAdminBootstrap.Outcome> o : outcomes) {
                PlatformAdminBootstrap.Outcome outcome = o.get();
                assertNotEquals(PlatformAdminBootstrap.Outcome.NOT_CONFIGURED, outcome);
                created += outcome == PlatformAdminBootstrap.Outcome.CREATED ? 1 : 0;
            }
            assertEquals(1, created);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, t.count("SELECT count(*) FROM users WHERE platform_admin"));
        assertEquals(200, t.login(SOURCE, "admin", TestSystem.ADMIN_PASSWORD).status());
    }

    @Test
    void theAdminIsThrottledAndAuditedLikeEveryone() throws Exception {
        String id = adminId();
        for (int i = 1; i <= 5; i++) {
            assertEquals(401, t.login(SOURCE, "admin", "admin-guess-" + i).status(), "failure " + i);
        }
        OwnDatabaseSystem.Answer locked = t.login(SOURCE, "admin", TestSystem.ADMIN_PASSWORD);
        assertEquals(429, locked.status(), locked.body().toString());
        assertTrue(locked.retryAfter() >= 1 && locked.retryAfter() <= 10, "Retry-After " + locked.retryAfter());
        TestSystem.eventually(Duration.ofSeconds(20), () -> t.count("SELECT count(*) FROM audit_logs WHERE event_type = "
                + "'security.login_failed' AND resource_type = 'user' AND resource_id = ?", id) == 5
                && t.count("SELECT count(*) FROM audit_logs WHERE event_type = 'security.login_locked' AND resource_id = ?", id) == 1);
        assertEquals(0, t.count("SELECT count(*) FROM audit_logs WHERE strpos(data::text, 'admin-guess') > 0"));

        Thread.sleep(locked.retryAfter() * 1000 + 500);
        assertEquals(200, t.login(SOURCE, "admin", TestSystem.ADMIN_PASSWORD).status(), "the window passed");
    }
}
