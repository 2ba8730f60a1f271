package realty.local.property;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.local.TestSystem;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bulk import: all-or-nothing, JSON and CSV, row-numbered errors, limits, and every row's event audited. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PropertyImportTest {
    private TestSystem t;
    private String company;
    private String manager;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        String admin = t.adminToken();
        company = t.createCompany(admin, "Importer");
        String email = TestSystem.email("manager");
        t.createUser(admin, email, List.of("manager"), List.of(company));
        manager = t.login(email, "a-long-password");
    }

    @AfterAll
    void stop() {
        t.close();
    }

    private static List<Map<String, Object>> rows(int n, String prefix) {
        List<Map<String, Object>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> r = new HashMap<>();
            r.put("referenceCode", prefix + "-" + i);
            r.put("title", "Imóvel " + i);
            r.put("type", i % 2 == 0 ? "apartment" : "house");
            r.put("price", (100_000 + i) + ".50");
            r.put("forRent", i % 3 == 0);
            rows.add(r);
        }
        return rows;
    }

    private TestSystem.Response post(String contentType, byte[] body) throws Exception {
        HttpResponse<byte[]> r = t.http.send(HttpRequest.newBuilder(URI.create(t.system.baseUrl() + "/api/v1/properties/import?companyId=" + company))
                .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + manager).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = r.body().length == 0 ? Map.of() : t.json.readValue(r.body(), Map.class);
        return new TestSystem.Response(r.statusCode(), parsed, r.headers().firstValue("Content-Type").orElse(""), null);
    }

    @Test
    void tenThousandValidRowsAreImportedAndEveryRowsEventReachesTheAuditLog() throws Exception {
        String prefix = "BULK-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] body = t.json.writeValueAsBytes(rows(10_000, prefix));

        long started = System.nanoTime();
        TestSystem.Response r = post("application/json", body);
        long responseMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals(201, r.status(), String.valueOf(r.body().get("detail")));
        assertEquals(10_000, ((Number) r.body().get("count")).intValue());
        assertEquals(10_000, t.count("SELECT count(*) FROM properties WHERE company_id = ?::uuid AND reference_code LIKE ?", company, prefix + "-%"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) r.body().get("events");
        assertEquals(10_001, events.size());
        assertEquals("properties.imported", events.get(events.size() - 1).get("type"));
        TestSystem.eventually(Duration.ofSeconds(60), () -> count("""
                SELECT count(*) FROM audit_logs l JOIN properties p ON p.id::text = l.resource_id
                WHERE l.event_type = 'property.created' AND p.reference_code LIKE ?""", prefix + "-%") == 10_000);
        long auditedMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_type = 'properties.imported' AND data->>'count' = '10000' "
                + "AND company_id = ?::uuid", company));
        System.out.printf("IMPORT 10000 rows: response %d ms, all audit rows after %d ms%n", responseMs, auditedMs);
    }

    @Test
    void oneBadRowRejectsTheWholeFileWithItsRowNumber() throws Exception {
        String prefix = "BAD-" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> rows = rows(10_000, prefix);
        rows.get(7_776).put("price", "-5");

        TestSystem.Response r = post("application/json", t.json.writeValueAsBytes(rows));

        assertEquals(400, r.status());
        @SuppressWarnings("unchecked")
        Map<String, String> errors = (Map<String, String>) r.body().get("errors");
        assertEquals(Map.of("row 7777", "price: must not be negative"), errors);
        assertEquals(0, t.count("SELECT count(*) FROM properties WHERE reference_code LIKE ?", prefix + "-%"));
        assertEquals(0, t.count("SELECT count(*) FROM outbox_events WHERE type = 'property.created' AND body::text LIKE ?", "%" + prefix + "%"));
    }

    @Test
    void csvImportsWorkAndReportBadRowsByNumber() throws Exception {
        String prefix = "CSV-" + UUID.randomUUID().toString().substring(0, 8);
        String csv = "referenceCode,title,type,price,forSale\n"
                + prefix + "-1,\"Casa, com vírgula\",house,350000.00,true\n"
                + prefix + "-2,Sala comercial,commercial,,false\n";
        TestSystem.Response ok = post("text/csv", csv.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, ok.status(), String.valueOf(ok.body()));
        assertEquals(1, t.count("SELECT count(*) FROM properties WHERE reference_code = ? AND title = 'Casa, com vírgula'", prefix + "-1"));

        String bad = "referenceCode,title,type,price\n" + prefix + "-3,Ok,house,1\n" + prefix + "-4,Broken,house,abc\n";
        TestSystem.Response rejected = post("text/csv", bad.getBytes(StandardCharsets.UTF_8));
        assertEquals(400, rejected.status());
        assertEquals(Map.of("row 2", "price: not a number"), rejected.body().get("errors"));
        assertEquals(0, t.count("SELECT count(*) FROM properties WHERE reference_code = ?", prefix + "-3"));
    }

    @Test
    void moreThanTenThousandRowsIsTooLargeAndUnknownColumnsAreRefused() throws Exception {
        assertEquals(413, post("application/json", t.json.writeValueAsBytes(rows(10_001, "BIG"))).status());
        StringBuilder bomb = new StringBuilder("referenceCode,title,type\n");
        for (int i = 0; i < 20_000; i++) {
            bomb.append("B").append(i).append(",t,house\n");
        }
        assertEquals(413, post("text/csv", bomb.toString().getBytes(StandardCharsets.UTF_8)).status());
        TestSystem.Response unknown = post("text/csv", "referenceCode,title,type,password\nX,t,house,x\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, unknown.status());
        assertTrue(String.valueOf(unknown.body().get("detail")).contains("unknown CSV columns"));
        assertEquals(400, post("application/json", "{\"not\":\"an array\"}".getBytes(StandardCharsets.UTF_8)).status());
    }

    private long count(String sql, Object... args) {
        try {
            return t.count(sql, args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
