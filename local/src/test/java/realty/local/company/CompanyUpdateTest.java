package realty.local.company;

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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code PATCH /companies/{id}} (issue 15): the owner edits their company's registration; the
 * matrix's other profiles get 403, another company's owner 404; the change is an audited
 * {@code company.updated} event. Real database and broker, the audit function consuming.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompanyUpdateTest {
    private static final String CNPJ = "11.222.333/0001-81";

    private TestSystem t;
    private String admin;
    private String company;
    private String owner;
    private UUID ownerId;
    private String director;
    private String manager;
    private String agent;
    private String otherOwner;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        admin = t.adminToken();
        company = t.createCompany(admin, "Patch Agency");
        String other = t.createCompany(admin, "Other Agency");
        owner = user(admin, company, "owner");
        ownerId = (UUID) t.value("SELECT u.id FROM users u JOIN user_companies uc ON uc.user_id = u.id "
                + "JOIN user_profiles p ON p.user_id = u.id WHERE uc.company_id = ?::uuid AND p.profile = 'owner'", company);
        director = user(owner, company, "director");
        manager = user(owner, company, "manager");
        agent = user(owner, company, "agent");
        otherOwner = user(admin, other, "owner");
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void theOwnerRenamesTheCompanyAndSetsItsCnpjAndTheChangeIsAudited() throws Exception {
        TestSystem.Response r = t.expect(200, t.call("PATCH", path(company), owner,
                Map.of("name", "  Patch Agency Ltda  ", "cnpj", CNPJ, "creci", "J-12345")));

        assertEquals("Patch Agency Ltda", r.string("name"));
        assertEquals("11222333000181", r.string("cnpj"), "stored as its 14 digits");
        assertEquals("Patch Agency Ltda", t.value("SELECT name FROM companies WHERE id = ?::uuid", company));
        UUID event = r.event("company.updated");
        assertEquals("Patch Agency", t.value("SELECT body->'payload'->'changes'->'name'->>'from' FROM outbox_events WHERE id = ?", event));
        assertEquals("11222333000181", t.value("SELECT body->'payload'->'changes'->'cnpj'->>'to' FROM outbox_events WHERE id = ?", event));
        TestSystem.eventually(Duration.ofSeconds(20), () -> t.count("SELECT count(*) FROM audit_logs WHERE event_id = ? "
                + "AND actor_user_id = ? AND resource_type = 'company' AND resource_id = ?", event, ownerId.toString(), company) == 1);

        // An empty string clears an optional field; the same values again change nothing and emit nothing.
        TestSystem.Response cleared = t.expect(200, t.call("PATCH", path(company), owner, Map.of("creci", "")));
        assertNull(cleared.body().get("creci"));
        assertEquals("11222333000181", cleared.string("cnpj"), "absent fields stay");
        TestSystem.Response same = t.expect(200, t.call("PATCH", path(company), owner, Map.of("name", "Patch Agency Ltda")));
        assertTrue(same.events() == null || same.events().isEmpty(), same.toString());
    }

    @Test
    void anInvalidOrTakenCnpjIsRefused() throws Exception {
        String mine = t.createCompany(admin, "Cnpj Agency");
        String mineOwner = user(admin, mine, "owner");
        TestSystem.Response invalid = t.call("PATCH", path(mine), mineOwner, Map.of("cnpj", "11.222.333/0001-82"));
        assertEquals(400, invalid.status(), invalid.toString());
        assertTrue(String.valueOf(invalid.body().get("errors")).contains("cnpj"), invalid.toString());
        assertEquals(400, t.call("PATCH", path(mine), mineOwner, Map.of("name", " ")).status());

        String taken = "04.252.011/0001-10";
        t.expect(201, t.call("POST", "/api/v1/companies", admin, Map.of("name", "Holder", "cnpj", taken)));
        TestSystem.Response conflict = t.call("PATCH", path(mine), mineOwner, Map.of("cnpj", taken));
        assertEquals(409, conflict.status(), conflict.toString());
    }

    @Test
    void onlyTheOwnerMayEditAndAnotherCompanyIsNotThere() throws Exception {
        Map<String, Object> rename = new HashMap<>(Map.of("name", "Hijacked"));
        assertEquals(403, t.call("PATCH", path(company), director, rename).status(), "directors read companies only");
        assertEquals(403, t.call("PATCH", path(company), manager, rename).status());
        assertEquals(403, t.call("PATCH", path(company), agent, rename).status());
        assertEquals(404, t.call("PATCH", path(company), otherOwner, rename).status(), "outside the owner's companies");
        assertEquals(404, t.call("PATCH", path(UUID.randomUUID().toString()), owner, rename).status());
        assertTrue(!"Hijacked".equals(t.value("SELECT name FROM companies WHERE id = ?::uuid", company)));
        assertEquals(0, t.count("SELECT count(*) FROM outbox_events WHERE type = 'company.updated' AND company_id = ?::uuid "
                + "AND body::jsonb->'payload'->'changes'->'name'->>'to' = 'Hijacked'", company));
    }

    private String user(String creator, String companyId, String profile) throws Exception {
        String email = TestSystem.email(profile);
        t.expect(201, t.createUser(creator, email, List.of(profile), List.of(companyId)));
        return t.login(email, TestSystem.PASSWORD);
    }

    private static String path(String id) {
        return "/api/v1/companies/" + id;
    }
}
