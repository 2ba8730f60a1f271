package realty.local.audit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.local.TestSystem;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LGPD audit log through the API (issue 15): pages in time order, the export (NDJSON and CSV,
 * owner and legal, the caller's companies only, refused past one response's size), a user's
 * personal data and their anonymisation, each within the caller's scope.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditLogApiTest {
    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(2));
    private TestSystem t;
    private UUID companyA;
    private UUID companyB;
    private String admin;
    private String ownerA;
    private String legalA;
    private String directorA;
    private String agentA;
    private String ownerB;
    private UUID agentAId;
    private String agentAEmail;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of("realty.audit.export-max-bytes", 200_000));
        admin = t.adminToken();
        companyA = UUID.fromString(t.createCompany(admin, "Audit A"));
        companyB = UUID.fromString(t.createCompany(admin, "Audit B"));
        ownerA = user("owner", companyA, null);
        legalA = user("legal", companyA, null);
        directorA = user("director", companyA, null);
        agentAEmail = TestSystem.email("agent");
        agentA = user("agent", companyA, agentAEmail);
        agentAId = UUID.fromString((String) t.value("SELECT CAST(id AS text) FROM users WHERE email = ?", agentAEmail));
        ownerB = user("owner", companyB, null);
        // Rows of the time-order test: inserted in an order unrelated to their time, two at the same instant.
        List<Integer> minutes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            minutes.add((i * 7) % 30);
        }
        for (int m : minutes) {
            insert(companyA, "order", BASE.plus(Duration.ofMinutes(m)));
        }
        insert(companyA, "order", BASE.plus(Duration.ofMinutes(3)));
        for (int i = 0; i < 5; i++) {
            insert(companyB, "order", BASE.plus(Duration.ofMinutes(i)));
        }
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    private String user(String profile, UUID company, String email) throws Exception {
        String e = email == null ? TestSystem.email(profile) : email;
        t.expect(201, t.createUser(admin, e, List.of(profile), List.of(company.toString())));
        return t.login(e, TestSystem.PASSWORD);
    }

    private void insert(UUID company, String resourceType, Instant at) throws Exception {
        t.execute("INSERT INTO audit_logs (id, company_id, event_id, event_type, resource_type, resource_id, occurred_at, data) "
                        + "VALUES (gen_random_uuid(), ?, gen_random_uuid(), 'test.audit', ?, 'r', ?, '{\"k\": \"v\"}')",
                company, resourceType, java.sql.Timestamp.from(at));
    }

    private HttpResponse<String> raw(String path, String token) throws Exception {
        return t.http.send(HttpRequest.newBuilder(URI.create(t.system.baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void pagesFollowTimeOrderAcrossCursors() throws Exception {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            TestSystem.Response r = t.expect(200, "GET", "/api/v1/audit-logs?resourceType=order&limit=7"
                    + (cursor == null ? "" : "&cursor=" + cursor), ownerA, null);
            all.addAll((List<Map<String, Object>>) r.body().get("items"));
            cursor = (String) r.body().get("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(31, all.size(), "every row of company A once, none of B");
        assertEquals(5, pages);
        Set<Object> ids = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            assertEquals(companyA.toString(), all.get(i).get("companyId"));
            assertTrue(ids.add(all.get(i).get("id")), "no row twice");
            if (i > 0) {
                Instant prev = Instant.parse((String) all.get(i - 1).get("occurredAt"));
                Instant cur = Instant.parse((String) all.get(i).get("occurredAt"));
                assertTrue(!cur.isBefore(prev), "time order at " + i);
                if (cur.equals(prev)) {
                    assertTrue(all.get(i - 1).get("id").toString().compareTo(all.get(i).get("id").toString()) < 0, "ties by id");
                }
            }
        }
        TestSystem.Response admins = t.expect(200, "GET", "/api/v1/audit-logs?resourceType=order&limit=500&from="
                + BASE.plus(Duration.ofMinutes(2)), admin, null);
        List<Map<String, Object>> items = (List<Map<String, Object>>) admins.body().get("items");
        assertEquals(31 - 2 + 3, items.size(), "the platform admin sees both companies, from its from on");
    }

    @Test
    @SuppressWarnings("unchecked")
    void exportStreamsTheCallersCompaniesAsNdjsonAndCsv() throws Exception {
        String range = "from=" + BASE + "&to=" + BASE.plus(Duration.ofMinutes(30));
        HttpResponse<String> nd = raw("/api/v1/audit-logs/export?" + range, ownerA);
        assertEquals(200, nd.statusCode(), nd.body());
        assertTrue(nd.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"));
        List<String> lines = nd.body().lines().toList();
        assertEquals(31, lines.size());
        Instant prev = Instant.MIN;
        for (String line : lines) {
            Map<String, Object> row = t.json.readValue(line, Map.class);
            assertEquals(companyA.toString(), row.get("companyId"));
            assertEquals(Map.of("k", "v"), row.get("data"));
            Instant at = Instant.parse((String) row.get("occurredAt"));
            assertFalse(at.isBefore(prev));
            prev = at;
        }

        HttpResponse<String> csv = raw("/api/v1/audit-logs/export?format=csv&" + range, legalA);
        assertEquals(200, csv.statusCode(), csv.body());
        List<String> rows = csv.body().lines().toList();
        assertEquals(32, rows.size(), "a header and one line per row");
        assertTrue(rows.get(0).startsWith("id,companyId,eventId,eventType,"), rows.get(0));
        assertTrue(rows.stream().skip(1).allMatch(r -> r.contains("," + companyA + ",") && r.contains("\"{\"\"k\"\": \"\"v\"\"}\"")),
                rows.get(1));

        HttpResponse<String> b = raw("/api/v1/audit-logs/export?" + range, ownerB);
        assertEquals(5, b.body().lines().count(), "owner B gets company B's rows only");
        assertEquals(403, raw("/api/v1/audit-logs/export?" + range, directorA).statusCode(), "directors read but do not export");
        assertEquals(403, raw("/api/v1/audit-logs/export?" + range, agentA).statusCode());
        assertEquals(400, raw("/api/v1/audit-logs/export?from=" + BASE + "&to=" + BASE, ownerA).statusCode());
    }

    @Test
    void anExportLargerThanOneResponseIsRefusedWithAHint() throws Exception {
        Instant day = BASE.minus(Duration.ofDays(1));
        t.execute("INSERT INTO audit_logs (id, company_id, event_id, event_type, resource_type, resource_id, occurred_at, data) "
                + "SELECT gen_random_uuid(), ?, gen_random_uuid(), 'test.bulk', 'bulk', 'r' || g, CAST(? AS timestamptz) + g * interval '1 second', "
                + "jsonb_build_object('padding', repeat('x', 200)) FROM generate_series(1, 2000) g", companyA, java.sql.Timestamp.from(day));
        HttpResponse<String> r = raw("/api/v1/audit-logs/export?from=" + day + "&to=" + day.plus(Duration.ofHours(1)), ownerA);
        assertEquals(422, r.statusCode(), r.body());
        assertTrue(r.body().contains("shorter ranges"), r.body());
        assertTrue(r.body().contains("POST /api/v1/audit-logs/exports"), "points to the asynchronous export: " + r.body());
        assertEquals(200, raw("/api/v1/audit-logs/export?from=" + day + "&to=" + day.plus(Duration.ofMinutes(2)), ownerA).statusCode());
    }

    @Test
    @SuppressWarnings("unchecked")
    void personalDataIsTheUsersOwnWithinScope() throws Exception {
        String path = "/api/v1/users/" + agentAId + "/personal-data";
        TestSystem.Response own = t.expect(200, "GET", path, agentA, null);
        assertEquals(agentAEmail, own.map("user").get("email"));
        assertEquals(List.of(Map.of("id", companyA.toString(), "name", "Audit A")), own.list("companies"));
        TestSystem.Response byOwner = t.expect(200, "GET", path, ownerA, null);
        List<Map<String, Object>> audit = byOwner.list("auditRows");
        assertTrue(audit.stream().anyMatch(r -> "user.created".equals(r.get("eventType")) && agentAId.toString().equals(r.get("resourceId"))),
                "the audit rows about the user: " + audit);
        t.expect(200, "GET", path, legalA, null);
        t.expect(403, "GET", path, directorA, null);
        t.expect(404, "GET", path, ownerB, null);
    }

    @Test
    void anonymisationReplacesNameAndEmailKeepsIdsAndIsAudited() throws Exception {
        String email = TestSystem.email("leaving");
        t.expect(201, t.createUser(admin, email, List.of("agent"), List.of(companyA.toString())));
        UUID id = UUID.fromString((String) t.value("SELECT CAST(id AS text) FROM users WHERE email = ?", email));
        String path = "/api/v1/users/" + id + "/anonymise";
        t.expect(403, "POST", path, directorA, null);
        t.expect(404, "POST", path, ownerB, null);
        TestSystem.Response r = t.expect(200, "POST", path, legalA, null);
        assertEquals(id.toString(), r.body().get("id"));
        assertEquals(false, r.body().get("active"));

        TestSystem.Response user = t.expect(200, "GET", "/api/v1/users/" + id, ownerA, null);
        assertEquals("Anonymised user", user.body().get("name"));
        assertEquals("anonymised-" + id + "@anonymised.invalid", user.body().get("email"));
        assertEquals(false, user.body().get("active"));
        assertEquals(0, t.count("SELECT count(*) FROM users WHERE lower(email) = lower(?)", email));

        UUID event = r.event("user.anonymised");
        long deadline = System.currentTimeMillis() + 20_000;
        while (t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", event) == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        String data = (String) t.value("SELECT CAST(data AS text) FROM audit_logs WHERE event_id = ?", event);
        assertTrue(data != null && data.contains("\"email\"") && !data.contains(email), "audited, naming fields, not values: " + data);
        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ? AND resource_id = ? "
                + "AND company_id = ?", event, id.toString(), companyA));
        t.expect(200, "POST", path, ownerA, null); // twice: nothing more to do
        assertEquals(1, t.count("SELECT count(*) FROM outbox_events WHERE type = 'user.anonymised' AND aggregate_id = ?", id.toString()));
    }
}
