package realty.local.plans;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.api.audit.AuditExportRepository;
import realty.core.audit.AuditExportWorker;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The asynchronous audit export's statements read audit_exports through an index whatever the
 * statistics: the worker's two claims (the head of a partial index each, FOR UPDATE SKIP LOCKED) and
 * the API's GET by id and count of a company's open exports, on 200,000 finished exports and a few
 * open ones, before ANALYZE (autovacuum off: the planner knows nothing) and after, as custom and
 * generic plans.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditExportPlansTest {
    private static final int ROWS = 200_000;
    private static final UUID COMPANY = UUID.fromString("00000000-0000-4000-8000-00000000e001");
    private static final String COMPANIES = "'{" + COMPANY + "}'";
    private PlanProbe db;

    @BeforeAll
    void fill() throws Exception {
        db = PlanProbe.create("export_plans");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE audit_exports SET (autovacuum_enabled = false)");
            s.execute("INSERT INTO companies (id, name) SELECT CAST('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0') AS uuid), "
                    + "'Company ' || g FROM generate_series(57345, 57345 + 99) g"); // 0xe001 onwards: 100 companies
            // Finished history: READY and FAILED, spread over the companies and the last months.
            s.execute("INSERT INTO audit_exports (id, company_id, range_from, range_to, format, status, attempts, claimed_at, "
                    + "object_key, created_at, finished_at) SELECT gen_random_uuid(), "
                    + "CAST('00000000-0000-4000-8000-' || lpad(to_hex(57345 + mod(g, 100)), 12, '0') AS uuid), "
                    + "TIMESTAMPTZ '2026-01-01Z', TIMESTAMPTZ '2026-02-01Z', 'ndjson', CASE WHEN mod(g, 10) = 0 THEN 'FAILED' ELSE 'READY' END, "
                    + "1, now() - g * interval '1 minute', 'exports/x/' || g, now() - g * interval '1 minute', "
                    + "now() - g * interval '1 minute' FROM generate_series(1, " + ROWS + ") g");
            // The few open ones: waiting, running, and one whose worker died an hour ago.
            s.execute("INSERT INTO audit_exports (id, company_id, range_from, range_to, format, status, attempts, claimed_at, created_at) "
                    + "SELECT gen_random_uuid(), '" + COMPANY + "', TIMESTAMPTZ '2026-01-01Z', TIMESTAMPTZ '2026-02-01Z', 'csv', "
                    + "CASE WHEN g <= 3 THEN 'PENDING' ELSE 'RUNNING' END, CASE WHEN g <= 3 THEN 0 ELSE 1 END, "
                    + "CASE WHEN g <= 3 THEN NULL WHEN g = 6 THEN now() - interval '1 hour' ELSE now() END, now() FROM generate_series(1, 6) g");
        }
    }

    @AfterAll
    void drop() {
        db.drop();
    }

    @Test
    void theWorkersClaimsTakeTheHeadOfTheirPartialIndexWithAndWithoutStatistics() throws Exception {
        for (boolean analysed : new boolean[] {false, true}) {
            if (analysed) {
                db.execute("ANALYZE audit_exports");
            }
            for (boolean generic : new boolean[] {false, true}) {
                String how = (analysed ? "analysed" : "no statistics") + (generic ? ", generic" : ", custom");
                assertIndexed("claim pending (" + how + ")", scans(AuditExportWorker.CLAIM_PENDING, generic, List.of(), List.of()),
                        "audit_exports_(pending|pkey)");
                assertIndexed("claim stale (" + how + ")", scans(AuditExportWorker.CLAIM_STALE, generic, List.of("timestamptz"),
                        List.of("now() - interval '5 minutes'")), "audit_exports_(running|pkey)");
            }
        }
    }

    @Test
    void theApiReadsAnExportByIdAndCountsOpenOnesThroughAnIndex() throws Exception {
        Map<String, String> types = Map.of("id", "uuid", "allCompanies", "boolean", "companies", "text[]", "companyId", "uuid");
        Map<String, String> values = Map.of("id", "'" + UUID.randomUUID() + "'", "allCompanies", "false", "companies", COMPANIES,
                "companyId", "'" + COMPANY + "'");
        for (boolean analysed : new boolean[] {false, true}) {
            if (analysed) {
                db.execute("ANALYZE audit_exports");
            }
            for (boolean generic : new boolean[] {false, true}) {
                String how = (analysed ? "analysed" : "no statistics") + (generic ? ", generic" : ", custom");
                assertIndexed("GET by id (" + how + ")", db.scans(db.explainNamed(PlanProbe.query(AuditExportRepository.class, "find"),
                        generic, types, values, false)), "audit_exports_pkey");
                assertIndexed("open exports of a company (" + how + ")", db.scans(db.explainNamed(
                        PlanProbe.query(AuditExportRepository.class, "countOpen"), generic, types, values, false)),
                        "audit_exports_open");
            }
        }
    }

    private List<PlanProbe.Scan> scans(String sql, boolean generic, List<String> types, List<String> values) throws Exception {
        return db.scans(db.explain(PlanProbe.numberQuestionMarks(sql), generic, types, values, false));
    }

    /** Every read of audit_exports goes through an index whose name matches; never a sequential scan. */
    private static void assertIndexed(String what, List<PlanProbe.Scan> scans, String indexes) {
        System.out.println("[plan] " + what + ": " + scans);
        List<PlanProbe.Scan> ofTable = scans.stream().filter(s -> s.table().equals("audit_exports")).toList();
        assertTrue(!ofTable.isEmpty(), what + ": no access to audit_exports in " + scans);
        for (PlanProbe.Scan s : ofTable) {
            // A Bitmap Heap Scan reads the rows its Bitmap Index Scan (checked on its own) found.
            assertTrue(s.type().equals("Bitmap Heap Scan")
                            || s.type().matches("(Index|Index Only|Bitmap Index) Scan") && s.index() != null && s.index().matches(indexes),
                    what + ": audit_exports must be read through " + indexes + ", plan has " + scans);
        }
    }
}
