package realty.local.user;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.local.TestSystem;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A user with the agent or prospector profile has their agent record from the start (issue 14, item 6; docs/accounts.md). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentRecordsOfUsersTest {
    private TestSystem t;
    private String admin;
    private String companyA;
    private String companyB;
    private String ownerA;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        admin = t.adminToken();
        companyA = t.createCompany(admin, "Agents A");
        companyB = t.createCompany(admin, "Agents B");
        String ownerEmail = TestSystem.email("owner");
        t.expect(201, t.createUser(admin, ownerEmail, List.of("owner"), List.of(companyA)));
        ownerA = t.login(ownerEmail, TestSystem.PASSWORD);
        // a company must keep an active owner when a user leaves it
        t.expect(201, t.createUser(admin, TestSystem.email("owner-b"), List.of("owner"), List.of(companyB)));
    }

    @AfterAll
    void stop() {
        t.close();
    }

    @Test
    void aProspectorCreatedAsAUserCreatesAPropertyAtOnceAndIsItsProspector() throws Exception {
        String email = TestSystem.email("prospector");
        TestSystem.Response created = t.expect(201, createUser(ownerA, email, List.of("prospector"), List.of(companyA),
                "52998224725", "12345-F"));
        String userId = created.string("id");
        assertEquals(List.of("user.created"), types(created), "the same events as before: the agent row adds none");
        assertEquals(1, t.count("SELECT count(*) FROM outbox_events WHERE correlation_id = ?", created.requestId()));

        TestSystem.Response property = t.call("POST", "/api/v1/properties", t.login(email, TestSystem.PASSWORD),
                Map.of("referenceCode", "AR-" + UUID.randomUUID(), "title", "Casa", "type", "house", "price", "500000.00"));

        assertEquals(201, property.status(), property.body().toString());
        UUID agent = agentOf(userId, companyA);
        assertEquals(agent.toString(), property.body().get("prospectorId"));
        assertEquals(1, t.count("SELECT count(*) FROM agents WHERE id = ? AND company_id = ?::uuid AND name = ? AND cpf = '52998224725' "
                + "AND creci = '12345-F' AND active", agent, companyA, "Test " + email));
    }

    @Test
    void addingTheAgentProfileCreatesTheRecordRemovingItDeactivatesItAndAddingItBackReactivatesIt() throws Exception {
        String userId = t.expect(201, t.createUser(ownerA, TestSystem.email("front"), List.of("receptionist"), List.of(companyA)))
                .string("id");
        assertEquals(0, t.count("SELECT count(*) FROM agents WHERE user_id = ?::uuid", userId));

        TestSystem.Response added = t.expect(200, "PATCH", "/api/v1/users/" + userId, ownerA,
                Map.of("profiles", List.of("receptionist", "agent"), "creci", "998-J"));
        UUID agent = agentOf(userId, companyA);
        assertTrue(active(agent));
        assertEquals("998-J", t.value("SELECT creci FROM agents WHERE id = ?", agent));
        assertEquals(List.of("user.updated"), types(added));

        TestSystem.Response removed = t.expect(200, "PATCH", "/api/v1/users/" + userId, ownerA, Map.of("profiles", List.of("receptionist")));
        assertEquals(1, t.count("SELECT count(*) FROM agents WHERE user_id = ?::uuid", userId), "kept, never deleted");
        assertFalse(active(agent));
        assertEquals(List.of("user.updated"), types(removed));
        UUID removal = removed.event("user.updated");
        assertEquals(1, t.count("SELECT count(*) FROM outbox_events WHERE correlation_id = ?", removed.requestId()));
        assertTrue(TestSystem.eventually(Duration.ofSeconds(15),
                () -> t.count("SELECT count(*) FROM audit_logs WHERE event_id = ? AND event_type = 'user.updated'", removal) == 1),
                "the profile change is audited as every user change");

        t.expect(200, "PATCH", "/api/v1/users/" + userId, ownerA, Map.of("profiles", List.of("agent")));
        assertEquals(agent, agentOf(userId, companyA), "the same record comes back");
        assertTrue(active(agent));
    }

    @Test
    void anAgentRegisteredBeforeTheirUserIsLinkedThroughTheCpf() throws Exception {
        String before = t.expect(201, "POST", "/api/v1/agents", ownerA,
                Map.of("companyId", companyA, "name", "Corretora Antiga", "cpf", "11144477735")).string("id");
        t.expect(200, "PATCH", "/api/v1/agents/" + before, ownerA, Map.of("active", false));

        String userId = t.expect(201, createUser(ownerA, TestSystem.email("linked"), List.of("agent"), List.of(companyA),
                "11144477735", "7777-F")).string("id");

        assertEquals(UUID.fromString(before), agentOf(userId, companyA));
        assertTrue(active(UUID.fromString(before)));
        assertEquals("Corretora Antiga", t.value("SELECT name FROM agents WHERE id = ?::uuid", before));
        assertEquals("7777-F", t.value("SELECT creci FROM agents WHERE id = ?::uuid", before));
    }

    @Test
    void aCpfOfAnotherUsersAgentIsAConflictAndNothingIsWritten() throws Exception {
        t.expect(201, createUser(ownerA, TestSystem.email("first"), List.of("agent"), List.of(companyA), "39053344705", null));
        String email = TestSystem.email("second");

        TestSystem.Response refused = createUser(ownerA, email, List.of("prospector"), List.of(companyA), "39053344705", null);

        assertEquals(409, refused.status(), refused.body().toString());
        assertTrue(((Map<?, ?>) refused.body().get("errors")).containsKey("cpf"));
        assertEquals(0, t.count("SELECT count(*) FROM users WHERE email = ?", email), "no user row");
        assertEquals(0, t.count("SELECT count(*) FROM outbox_events WHERE correlation_id = ?", refused.requestId()), "no event");

        String other = t.expect(201, t.createUser(ownerA, TestSystem.email("third"), List.of("agent"), List.of(companyA))).string("id");
        TestSystem.Response patch = t.call("PATCH", "/api/v1/users/" + other, ownerA, Map.of("cpf", "39053344705", "name", "Renamed"));
        assertEquals(409, patch.status(), patch.body().toString());
        assertEquals(0, t.count("SELECT count(*) FROM users WHERE id = ?::uuid AND name = 'Renamed'", other), "the user change rolled back");
    }

    @Test
    void anInvalidCpfOrCreciIsABadRequestAndNoUserRow() throws Exception {
        for (Map.Entry<String, String> bad : Map.of("cpf", "123.456.789-09", "creci", "C".repeat(41)).entrySet()) {
            String email = TestSystem.email("bad");
            Map<String, Object> body = userBody(email, List.of("agent"), List.of(companyA));
            body.put(bad.getKey(), bad.getValue());
            TestSystem.Response r = t.call("POST", "/api/v1/users", ownerA, body);
            assertEquals(400, r.status(), r.body().toString());
            assertEquals(0, t.count("SELECT count(*) FROM users WHERE email = ?", email));
        }
        String email = TestSystem.email("clerk");
        TestSystem.Response notAnAgent = createUser(ownerA, email, List.of("financial"), List.of(companyA), "52998224725", null);
        assertEquals(400, notAnAgent.status(), "a CPF without an agent profile has no record to go to");
        assertEquals(0, t.count("SELECT count(*) FROM users WHERE email = ?", email));
    }

    @Test
    void aUserOfSeveralCompaniesHasOneRecordPerCompany() throws Exception {
        String userId = t.expect(201, t.createUser(admin, TestSystem.email("both"), List.of("agent", "prospector"),
                List.of(companyA, companyB))).string("id");
        UUID inA = agentOf(userId, companyA);
        UUID inB = agentOf(userId, companyB);

        t.expect(200, "PATCH", "/api/v1/users/" + userId, admin, Map.of("companyIds", List.of(companyA)));

        assertTrue(active(inA));
        assertFalse(active(inB), "leaving a company deactivates the record there");
    }

    @Test
    void creatingTheRecordByHandAfterTheUserCompletesTheirRecord() throws Exception {
        String userId = t.expect(201, t.createUser(ownerA, TestSystem.email("manual"), List.of("agent"), List.of(companyA))).string("id");
        UUID automatic = agentOf(userId, companyA);

        TestSystem.Response manual = t.expect(201, "POST", "/api/v1/agents", ownerA,
                Map.of("companyId", companyA, "name", "Nome Profissional", "userId", userId, "creci", "4242-F"));

        assertEquals(automatic.toString(), manual.string("id"));
        assertEquals("Nome Profissional", manual.string("name"));
        assertEquals("4242-F", manual.string("creci"));
        assertEquals(1, t.count("SELECT count(*) FROM agents WHERE user_id = ?::uuid", userId));
    }

    @Test
    void aManagerDeactivatedRecordStaysInactiveThroughUnrelatedUserChanges() throws Exception {
        String userId = t.expect(201, t.createUser(ownerA, TestSystem.email("paused"), List.of("agent"), List.of(companyA))).string("id");
        UUID agent = agentOf(userId, companyA);
        t.expect(200, "PATCH", "/api/v1/agents/" + agent, ownerA, Map.of("active", false));

        t.expect(200, "PATCH", "/api/v1/users/" + userId, ownerA, Map.of("name", "Renamed", "profiles", List.of("agent")));

        assertFalse(active(agent), "only gaining the profile or the company reactivates");
    }

    private TestSystem.Response createUser(String token, String email, List<String> profiles, List<String> companies, String cpf,
                                           String creci) throws Exception {
        Map<String, Object> body = userBody(email, profiles, companies);
        if (cpf != null) {
            body.put("cpf", cpf);
        }
        if (creci != null) {
            body.put("creci", creci);
        }
        return t.call("POST", "/api/v1/users", token, body);
    }

    private static Map<String, Object> userBody(String email, List<String> profiles, List<String> companies) {
        return new HashMap<>(Map.of("email", email, "name", "Test " + email, "password", TestSystem.PASSWORD,
                "profiles", profiles, "companyIds", companies));
    }

    private UUID agentOf(String userId, String company) throws Exception {
        List<Object> ids = t.column("SELECT id FROM agents WHERE user_id = ?::uuid AND company_id = ?::uuid", userId, company);
        assertEquals(1, ids.size(), "one agent record of the user in company " + company);
        return (UUID) ids.get(0);
    }

    private boolean active(UUID agent) throws Exception {
        return (Boolean) t.value("SELECT active FROM agents WHERE id = ?", agent);
    }

    private static List<Object> types(TestSystem.Response r) {
        return r.events().stream().map(e -> e.get("type")).toList();
    }
}
