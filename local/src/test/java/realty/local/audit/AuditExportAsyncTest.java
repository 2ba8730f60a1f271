package realty.local.audit;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.audit.AuditExportSettings;
import realty.core.audit.AuditExportWorker;
import realty.local.LocalLambdaContext;
import realty.local.LocalMailServer;
import realty.local.TestSystem;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The asynchronous audit export end to end (issue 15, item 3), on the real database and broker with
 * the local run's folder archive: a request is PENDING, the housekeeping run writes it, GET shows it
 * READY and the file served equals the synchronous export of the same range; the requester is mailed
 * the link to its state; the request and the download are audited; other profiles and companies are
 * refused (403, 404) and audited; two workers at once write one file; a dead worker's export is
 * taken up again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditExportAsyncTest {
    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(3));
    private static final int ROWS = 3000;
    private TestSystem t;
    private UUID companyA;
    private UUID companyB;
    private String ownerA;
    private String ownerAEmail;
    private String legalA;
    private String agentA;
    private String agentAId;
    private String ownerB;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        String admin = t.adminToken();
        companyA = UUID.fromString(t.createCompany(admin, "Export A"));
        companyB = UUID.fromString(t.createCompany(admin, "Export B"));
        ownerAEmail = TestSystem.email("owner");
        ownerA = user(admin, "owner", companyA, ownerAEmail);
        legalA = user(admin, "legal", companyA, TestSystem.email("legal"));
        String agentEmail = TestSystem.email("agent");
        agentA = user(admin, "agent", companyA, agentEmail);
        agentAId = (String) t.value("SELECT CAST(id AS text) FROM users WHERE email = ?", agentEmail);
        ownerB = user(admin, "owner", companyB, TestSystem.email("owner"));
        // A few thousand rows of A in the range (quotes, commas and newlines in the data, for CSV), some of B.
        t.execute("INSERT INTO audit_logs (id, company_id, event_id, event_type, actor_user_id, actor_profiles, resource_type, "
                + "resource_id, occurred_at, source_ip, data) SELECT gen_random_uuid(), ?, gen_random_uuid(), 'test.export', 'u' || g, "
                + "ARRAY['owner'], 'property', 'p' || g, CAST(? AS timestamptz) + g * interval '1 second', '10.0.0.' || mod(g, 250), "
                + "jsonb_build_object('n', g, 'note', 'a \"quoted\", comma' || chr(10) || 'line') FROM generate_series(1, " + ROWS + ") g",
                companyA, Timestamp.from(BASE));
        t.execute("INSERT INTO audit_logs (id, company_id, event_id, event_type, resource_type, resource_id, occurred_at, data) "
                + "SELECT gen_random_uuid(), ?, gen_random_uuid(), 'test.export', 'property', 'b' || g, "
                + "CAST(? AS timestamptz) + g * interval '1 second', '{}' FROM generate_series(1, 50) g", companyB, Timestamp.from(BASE));
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    private String user(String creator, String profile, UUID company, String email) throws Exception {
        t.expect(201, t.createUser(creator, email, List.of(profile), List.of(company.toString())));
        return t.login(email, TestSystem.PASSWORD);
    }

    private String range() {
        return "from=" + BASE + "&to=" + BASE.plus(Duration.ofHours(2));
    }

    private Map<String, Object> body(String format) {
        return format == null ? Map.of("from", BASE.toString(), "to", BASE.plus(Duration.ofHours(2)).toString())
                : Map.of("from", BASE.toString(), "to", BASE.plus(Duration.ofHours(2)).toString(), "format", format);
    }

    private HttpResponse<byte[]> raw(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : t.system.baseUrl() + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(t.json.writeValueAsBytes(body)));
        }
        return t.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(HttpResponse<byte[]> r) throws Exception {
        return t.json.readValue(r.body(), Map.class);
    }

    /** One housekeeping invocation, as the schedule makes it; returns the export task's part of the report. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> housekeeping() {
        ScheduledEvent event = new ScheduledEvent();
        event.setSource("realty.scheduler");
        Map<String, Object> report = (Map<String, Object>) t.system.housekeeping().handleRequest(event,
                new LocalLambdaContext("housekeeping-function", 120_000));
        return (Map<String, Object>) report.get("audit-export");
    }

    private UUID request(String token, String format) throws Exception {
        HttpResponse<byte[]> r = raw("POST", "/api/v1/audit-logs/exports", token, body(format));
        assertEquals(202, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        Map<String, Object> view = map(r);
        assertEquals("PENDING", view.get("status"));
        UUID id = UUID.fromString((String) view.get("id"));
        assertEquals("/api/v1/audit-logs/exports/" + id, r.headers().firstValue("Location").orElse(null));
        return id;
    }

    private long auditRows(String eventType, UUID export) throws Exception {
        return t.count("SELECT count(*) FROM audit_logs WHERE event_type = ? AND resource_id = ?", eventType, export.toString());
    }

    @Test
    void anOwnersExportIsWrittenByHousekeepingAndEqualsTheSynchronousExportOfTheRange() throws Exception {
        UUID id = request(ownerA, null);
        assertEquals("PENDING", t.expect(200, "GET", "/api/v1/audit-logs/exports/" + id, ownerA, null).body().get("status"));
        assertEquals(409, raw("GET", "/api/v1/audit-logs/exports/" + id + "/file", ownerA, null).statusCode(), "not ready yet");

        Map<String, Object> task = housekeeping();
        assertEquals("DONE", task.get("outcome"), String.valueOf(task));
        assertTrue(((Number) task.get("count")).longValue() >= 1, String.valueOf(task));

        TestSystem.Response ready = t.expect(200, "GET", "/api/v1/audit-logs/exports/" + id, ownerA, null);
        assertEquals("READY", ready.body().get("status"), ready.body().toString());
        assertEquals(ROWS, ((Number) ready.body().get("rows")).intValue());
        assertEquals(companyA.toString(), ready.body().get("companyId"));
        String file = "/api/v1/audit-logs/exports/" + id + "/file";
        assertEquals(file, ready.body().get("downloadUrl"), "locally the API serves the file");
        assertTrue(Instant.parse((String) ready.body().get("expiresAt")).isAfter(Instant.now().plus(Duration.ofDays(6))));

        HttpResponse<byte[]> download = raw("GET", file, ownerA, null);
        assertEquals(200, download.statusCode());
        assertTrue(download.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"));
        HttpResponse<byte[]> sync = raw("GET", "/api/v1/audit-logs/export?" + range(), ownerA, null);
        assertEquals(200, sync.statusCode());
        assertEquals(ROWS, new String(sync.body(), StandardCharsets.UTF_8).lines().count());
        assertArrayEquals(sync.body(), download.body(), "the file is the synchronous export of the same range, byte for byte");
        assertEquals(((Number) ready.body().get("bytes")).longValue(), download.body().length);

        // The file lies where the worker put it: exports/<company>/<id>.ndjson under the archive folder.
        Path stored = Path.of(t.system.apiContext().getRequiredProperty("realty.audit.archive-folder", String.class))
                .resolve("exports").resolve(companyA.toString()).resolve(id + ".ndjson");
        assertArrayEquals(download.body(), Files.readAllBytes(stored));

        // The requester's mail links to the state in the API, not to the file.
        MimeMessage mail = TestSystem.eventually(Duration.ofSeconds(30), () -> t.system.mailServer().messagesTo(ownerAEmail).stream()
                .filter(m -> text(m).contains("/api/v1/audit-logs/exports/" + id)).findFirst().orElse(null));
        assertTrue(mail.getSubject().contains(String.valueOf(ROWS)), mail.getSubject());
        String link = "http://localhost:8080/api/v1/audit-logs/exports/" + id;
        assertTrue(text(mail).contains(link) && !text(mail).contains(link + "/file"), text(mail));

        // Audited: the request, its end, and each download (the status GET above handed out no URL, the file GET did).
        TestSystem.eventually(Duration.ofSeconds(30), () -> auditRows("audit.export.requested", id) == 1
                && auditRows("audit.export.finished", id) == 1 && auditRows("audit.export.downloaded", id) == 1 ? true : null);
        assertEquals(ownerAId(), t.value("SELECT actor_user_id FROM audit_logs WHERE event_type = 'audit.export.requested' "
                + "AND resource_id = ?", id.toString()));
    }

    private String ownerAId() throws Exception {
        return (String) t.value("SELECT CAST(id AS text) FROM users WHERE email = ?", ownerAEmail);
    }

    @Test
    void legalExportsCsvThatEqualsTheSynchronousCsv() throws Exception {
        UUID id = request(legalA, "csv");
        housekeeping();
        TestSystem.Response ready = t.expect(200, "GET", "/api/v1/audit-logs/exports/" + id, legalA, null);
        assertEquals("READY", ready.body().get("status"), ready.body().toString());
        HttpResponse<byte[]> download = raw("GET", "/api/v1/audit-logs/exports/" + id + "/file", legalA, null);
        assertEquals(200, download.statusCode());
        assertTrue(download.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        HttpResponse<byte[]> sync = raw("GET", "/api/v1/audit-logs/export?format=csv&" + range(), legalA, null);
        assertArrayEquals(sync.body(), download.body());
        assertTrue(new String(download.body(), StandardCharsets.UTF_8).startsWith("id,companyId,eventId,"));
        // The owner of the same company sees it too: exports belong to the company.
        assertEquals("READY", t.expect(200, "GET", "/api/v1/audit-logs/exports/" + id, ownerA, null).body().get("status"));
    }

    @Test
    void agentsAreRefusedAndOtherCompaniesDoNotSeeTheExportAndBothAreAudited() throws Exception {
        UUID id = request(ownerA, null);
        String path = "/api/v1/audit-logs/exports/" + id;
        long before = t.count("SELECT count(*) FROM audit_logs WHERE event_type = 'security.access_denied' AND actor_user_id = ?", agentAId);
        assertEquals(403, raw("POST", "/api/v1/audit-logs/exports", agentA, body(null)).statusCode());
        assertEquals(403, raw("GET", path, agentA, null).statusCode());
        TestSystem.eventually(Duration.ofSeconds(30), () -> t.count("SELECT count(*) FROM audit_logs WHERE event_type = "
                + "'security.access_denied' AND actor_user_id = ?", agentAId) >= before + 2 ? true : null);

        HttpResponse<byte[]> hidden = raw("GET", path, ownerB, null);
        assertEquals(404, hidden.statusCode(), "another company's export is not found, not forbidden");
        assertEquals(404, raw("GET", path + "/file", ownerB, null).statusCode());
        assertEquals(404, raw("GET", "/api/v1/audit-logs/exports/" + UUID.randomUUID(), ownerA, null).statusCode());
        TestSystem.eventually(Duration.ofSeconds(30), () -> t.count("SELECT count(*) FROM audit_logs WHERE event_type = "
                + "'security.access_denied' AND CAST(data AS text) LIKE ? AND CAST(data AS text) LIKE '%404%'", "%" + id + "%") >= 2
                ? true : null);
        // Owner B cannot request one for company A either.
        Map<String, Object> forA = Map.of("from", BASE.toString(), "to", BASE.plus(Duration.ofHours(1)).toString(),
                "companyId", companyA.toString());
        assertEquals(403, raw("POST", "/api/v1/audit-logs/exports", ownerB, forA).statusCode());
    }

    @Test
    void invalidRequestsAreRefusedWith400() throws Exception {
        String at = BASE.toString();
        assertEquals(400, raw("POST", "/api/v1/audit-logs/exports", ownerA, Map.of("from", at, "to", at)).statusCode(), "empty range");
        assertEquals(400, raw("POST", "/api/v1/audit-logs/exports", ownerA,
                Map.of("from", at, "to", BASE.plus(Duration.ofHours(1)).toString(), "format", "xml")).statusCode());
        assertEquals(400, raw("POST", "/api/v1/audit-logs/exports", ownerA, Map.of("to", at)).statusCode(), "from is required");
        assertEquals(400, raw("POST", "/api/v1/audit-logs/exports", ownerA, Map.of("from", "yesterday", "to", at)).statusCode());
    }

    @Test
    void twoWorkersAtOnceWriteOneFileAndFinishTheExportOnce() throws Exception {
        AuditExportWorker worker = t.system.apiContext().getBean(AuditExportWorker.class);
        worker.runUntil(Instant.now().plus(Duration.ofSeconds(60))); // what other tests left waiting
        UUID id = request(ownerA, null);
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<Integer> run = () -> {
                together.await();
                return worker.runUntil(Instant.now().plus(Duration.ofSeconds(60)));
            };
            List<Future<Integer>> runs = List.of(pool.submit(run), pool.submit(run));
            int done = 0;
            for (Future<Integer> f : runs) {
                done += f.get();
            }
            assertEquals(1, done, "one worker claimed it, the other found it locked or RUNNING");
        } finally {
            pool.shutdownNow();
        }
        assertEquals("READY", t.value("SELECT status FROM audit_exports WHERE id = ?", id));
        assertEquals(1L, t.count("SELECT count(*) FROM outbox_events WHERE type = 'audit.export.finished' AND aggregate_id = ?", id.toString()));
        Path folder = Path.of(t.system.apiContext().getRequiredProperty("realty.audit.archive-folder", String.class))
                .resolve("exports").resolve(companyA.toString());
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(id + ".ndjson"), files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(id.toString())).toList());
        }
    }

    @Test
    void anExportWhoseWorkerDiedIsTakenUpAgainAfterTheTimeout() throws Exception {
        UUID id = request(ownerA, null);
        AuditExportSettings settings = t.system.apiContext().getBean(AuditExportSettings.class);
        // As a worker leaves it when it dies mid-export: RUNNING, claimed once, long ago.
        t.execute("UPDATE audit_exports SET status = 'RUNNING', attempts = 1, claimed_at = now() - ? * interval '1 second' WHERE id = ?",
                settings.getStaleAfter().toSeconds() + 60, id);
        UUID fresh = request(ownerA, null);
        t.execute("UPDATE audit_exports SET status = 'RUNNING', attempts = 1, claimed_at = now() WHERE id = ?", fresh);

        t.system.apiContext().getBean(AuditExportWorker.class).runUntil(Instant.now().plus(Duration.ofSeconds(60)));
        assertEquals(List.of("READY", 2), List.of(t.value("SELECT status FROM audit_exports WHERE id = ?", id),
                t.value("SELECT attempts FROM audit_exports WHERE id = ?", id)));
        assertEquals("RUNNING", t.value("SELECT status FROM audit_exports WHERE id = ?", fresh), "a live worker's export is left alone");

        // A worker that keeps dying on an export gives it up once the attempts are spent, with a reason for the requester.
        t.execute("UPDATE audit_exports SET attempts = ?, claimed_at = now() - interval '1 day' WHERE id = ?", settings.getMaxAttempts(), fresh);
        t.system.apiContext().getBean(AuditExportWorker.class).runUntil(Instant.now().plus(Duration.ofSeconds(60)));
        TestSystem.Response failed = t.expect(200, "GET", "/api/v1/audit-logs/exports/" + fresh, ownerA, null);
        assertEquals("FAILED", failed.body().get("status"));
        assertTrue(String.valueOf(failed.body().get("error")).contains("shorter range"), failed.body().toString());
        assertNull(failed.body().get("downloadUrl"));
    }

    private static String text(MimeMessage m) {
        try {
            return LocalMailServer.text(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
