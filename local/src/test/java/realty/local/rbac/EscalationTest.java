package realty.local.rbac;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.local.TestSystem;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Profile escalation and tenancy through POST and PATCH /users, the last-owner rule, and role changes taking effect at once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EscalationTest {
    private TestSystem t;
    private String admin;
    private String companyA;
    private String companyB;
    private String owner;
    private String ownerId;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        admin = t.adminToken();
        companyA = t.createCompany(admin, "Escalation A");
        companyB = t.createCompany(admin, "Escalation B");
        String email = TestSystem.email("owner");
        ownerId = (String) t.createUser(admin, email, List.of("owner"), List.of(companyA)).body().get("id");
        owner = t.login(email, "a-long-password");
    }

    @AfterAll
    void stop() {
        t.close();
    }

    private String userWith(String profile) throws Exception {
        String email = TestSystem.email(profile);
        assertEquals(201, t.createUser(owner, email, List.of(profile), List.of(companyA)).status());
        return t.login(email, "a-long-password");
    }

    private void refusedAndNotWritten(String token, List<String> profiles, List<String> companies) throws Exception {
        String email = TestSystem.email("escalation");
        TestSystem.Response r = t.createUser(token, email, profiles, companies);
        assertEquals(403, r.status(), profiles + " in " + companies + ": " + r.body());
        assertEquals(0, t.count("SELECT count(*) FROM users WHERE email = ?", email));
        assertEquals(0, t.count("SELECT count(*) FROM outbox_events WHERE type = 'user.created' AND body::text LIKE ?", "%" + email + "%"));
    }

    @Test
    void aManagerCannotCreateAnOwnerOrADirector() throws Exception {
        String manager = userWith("manager");
        refusedAndNotWritten(manager, List.of("owner"), List.of(companyA));
        refusedAndNotWritten(manager, List.of("director"), List.of(companyA));
        refusedAndNotWritten(manager, List.of("agent", "manager"), List.of(companyA));
    }

    @Test
    void anAgentCreatesOnlyPortalUsers() throws Exception {
        String agent = userWith("agent");
        for (String p : List.of("owner", "director", "manager", "agent", "prospector", "receptionist", "financial", "legal")) {
            refusedAndNotWritten(agent, List.of(p), List.of(companyA));
        }
        assertEquals(201, t.createUser(agent, TestSystem.email("portal"), List.of("portal"), List.of(companyA)).status());
    }

    @Test
    void nobodyGrantsACompanyTheyAreNotIn() throws Exception {
        refusedAndNotWritten(owner, List.of("agent"), List.of(companyA, companyB));
        String target = (String) t.createUser(owner, TestSystem.email("mover"), List.of("agent"), List.of(companyA)).body().get("id");
        TestSystem.Response r = t.call("PATCH", "/api/v1/users/" + target, owner, Map.of("companyIds", List.of(companyA, companyB)));
        assertEquals(403, r.status());
        assertTrue(String.valueOf(r.body().get("detail")).contains("multi-tenancy violation"));
        assertEquals(0, t.count("SELECT count(*) FROM user_companies WHERE user_id = ?::uuid AND company_id = ?::uuid", target, companyB));
    }

    @Test
    void aUserCannotPatchTheirOwnProfiles() throws Exception {
        TestSystem.Response me = t.call("GET", "/api/v1/me", owner, null);
        TestSystem.Response r = t.call("PATCH", "/api/v1/users/" + me.body().get("id"), owner,
                Map.of("profiles", List.of("owner", "financial")));
        assertEquals(403, r.status());
        assertEquals(0, t.count("SELECT count(*) FROM user_profiles WHERE user_id = ?::uuid AND profile = 'financial'", ownerId));
    }

    @Test
    void theLastActiveOwnerCannotBeRemovedOrDeactivated() throws Exception {
        String company = t.createCompany(admin, "Single owner");
        String soleOwner = (String) t.createUser(admin, TestSystem.email("sole"), List.of("owner"), List.of(company)).body().get("id");

        TestSystem.Response demote = t.call("PATCH", "/api/v1/users/" + soleOwner, admin, Map.of("profiles", List.of("manager")));
        TestSystem.Response deactivate = t.call("PATCH", "/api/v1/users/" + soleOwner, admin, Map.of("active", false));

        assertEquals(422, demote.status(), demote.body().toString());
        assertEquals(422, deactivate.status());
        assertEquals(1, t.count("SELECT count(*) FROM user_profiles WHERE user_id = ?::uuid AND profile = 'owner'", soleOwner));
        assertEquals(1, t.count("SELECT count(*) FROM users WHERE id = ?::uuid AND active", soleOwner));
        assertEquals(0, t.count("SELECT count(*) FROM outbox_events WHERE type = 'user.updated' AND aggregate_id = ?", soleOwner));

        String second = (String) t.createUser(admin, TestSystem.email("second"), List.of("owner"), List.of(company)).body().get("id");
        assertEquals(200, t.call("PATCH", "/api/v1/users/" + soleOwner, admin, Map.of("profiles", List.of("manager"))).status(),
                "with a second owner the first may step down");
        assertEquals(422, t.call("PATCH", "/api/v1/users/" + second, admin, Map.of("active", false)).status());
    }

    @Test
    void aRemovedProfileStopsWorkingOnTheNextRequestWithTheSameToken() throws Exception {
        String email = TestSystem.email("demoted");
        String id = (String) t.createUser(owner, email, List.of("manager"), List.of(companyA)).body().get("id");
        String token = t.login(email, "a-long-password");
        assertEquals(200, t.call("GET", "/api/v1/users/" + ownerId, token, null).status(), "a manager reads users");

        TestSystem.Response patched = t.call("PATCH", "/api/v1/users/" + id, owner, Map.of("profiles", List.of("receptionist")));
        assertEquals(200, patched.status(), patched.body().toString());
        assertEquals("user.updated", patched.events().get(0).get("type"));

        assertEquals(403, t.call("GET", "/api/v1/users/" + ownerId, token, null).status(), "the same token no longer reads users");
        assertEquals(200, t.call("PATCH", "/api/v1/users/" + id, owner, Map.of("active", false)).status());
        assertEquals(401, t.call("GET", "/api/v1/me", token, null).status(), "a deactivated user's token stops working");
    }

    @Test
    void refusalsAreAuditedWithActorAndRequestId() throws Exception {
        String receptionist = userWith("receptionist");
        TestSystem.Response r = t.call("DELETE", "/api/v1/properties/" + UUID.randomUUID(), receptionist, null);
        assertEquals(403, r.status());
        TestSystem.eventually(java.time.Duration.ofSeconds(10), () -> {
            try {
                return t.count("SELECT count(*) FROM audit_logs WHERE event_type = 'security.access_denied' AND request_id = ? "
                        + "AND actor_user_id IS NOT NULL AND source_ip IS NOT NULL AND data->>'status' = '403'", r.requestId()) == 1;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
