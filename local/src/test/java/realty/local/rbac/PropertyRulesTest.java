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

/** ProspectorAutoAssign and what a prospector may do afterwards. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PropertyRulesTest {
    private TestSystem t;
    private String company;
    private String prospector;
    private String prospectorAgentId;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        String admin = t.adminToken();
        company = t.createCompany(admin, "Prospecting");
        String email = TestSystem.email("prospector");
        String userId = (String) t.createUser(admin, email, List.of("prospector"), List.of(company)).body().get("id");
        prospectorAgentId = (String) t.call("POST", "/api/v1/agents", admin, Map.of("companyId", company, "name", "Pro Spector",
                "userId", userId)).body().get("id");
        prospector = t.login(email, "a-long-password");
    }

    @AfterAll
    void stop() {
        t.close();
    }

    @Test
    void aProspectorCreatingAPropertyIsAutoAssignedAsItsProspector() throws Exception {
        TestSystem.Response r = t.call("POST", "/api/v1/properties", prospector, Map.of("referenceCode", "PR-" + UUID.randomUUID(),
                "title", "Casa na praia", "type", "house", "price", "800000.00"));
        assertEquals(201, r.status(), r.body().toString());
        assertEquals(prospectorAgentId, r.body().get("prospectorId"));
        assertEquals("property.created", r.events().get(0).get("type"));
        assertEquals(200, t.call("GET", "/api/v1/properties/" + r.body().get("id"), prospector, null).status(),
                "the prospector sees what they brought in");
    }

    @Test
    void aProspectorCannotEditAPropertyAfterCreatingIt() throws Exception {
        TestSystem.Response created = t.call("POST", "/api/v1/properties", prospector, Map.of("referenceCode", "PR-" + UUID.randomUUID(),
                "title", "Apartamento", "type", "apartment"));
        String id = (String) created.body().get("id");

        TestSystem.Response edit = t.call("PATCH", "/api/v1/properties/" + id, prospector, Map.of("title", "Changed"));

        assertEquals(403, edit.status());
        assertEquals(0, t.count("SELECT count(*) FROM properties WHERE id = ?::uuid AND title = 'Changed'", id));
    }

    @Test
    void badPropertyInputIsAProblemWithFieldErrors() throws Exception {
        TestSystem.Response r = t.call("POST", "/api/v1/properties", prospector, Map.of("referenceCode", "",
                "title", "<script>alert(1)</script>", "type", "castle", "price", "-1"));
        assertEquals(400, r.status());
        @SuppressWarnings("unchecked")
        Map<String, String> errors = (Map<String, String>) r.body().get("errors");
        assertEquals(List.of("referenceCode", "type", "price"), List.copyOf(errors.keySet()));
    }
}
