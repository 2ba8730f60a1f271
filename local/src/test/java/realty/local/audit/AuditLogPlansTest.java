package realty.local.audit;

import io.micronaut.data.annotation.Query;
import org.junit.jupiter.api.Test;
import realty.api.audit.AuditLogRepository;
import realty.core.tenancy.RowScope;
import realty.local.plans.PlanProbe;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit log at a million rows that were never analysed (issue 15; the rows of
 * {@link PlanProbe#hotTables()}): a page of the list reads a few index entries per company, never the
 * table (no Seq Scan, no Sort over an unbounded input), as custom and as generic plan; and the export
 * of all million rows runs in a 64 MB heap.
 */
class AuditLogPlansTest {
    private static final int ROWS = PlanProbe.ROWS;
    private static final Map<String, String> TYPES = Map.of("allCompanies", "boolean", "afterAt", "timestamptz", "afterId", "uuid",
            "before", "timestamptz", "resourceType", "text", "resourceId", "text", "eventType", "text", "limit", "int",
            "companies", "text[]");
    private final PlanProbe db = PlanProbe.hotTables();
    private final List<UUID> companies = new ArrayList<>();

    AuditLogPlansTest() {
        for (int i = 1; i <= PlanProbe.AUDIT_COMPANIES; i++) {
            companies.add(PlanProbe.id("company", i));
        }
    }

    private Connection connect() throws Exception {
        return db.connect();
    }

    private static String listQuery() throws Exception {
        return AuditLogRepository.class.getMethod("list", RowScope.class, Instant.class, UUID.class, Instant.class, String.class,
                String.class, String.class, int.class).getAnnotation(Query.class).value();
    }

    /** The plan of the list query for these parameter values (SQL literals), as custom or generic plan. */
    private Map<String, Object> plan(boolean generic, boolean analyze, Map<String, String> values) throws Exception {
        return db.explainNamed(listQuery(), generic, TYPES, values, analyze);
    }

    /** Problems of a plan node: a sequential scan, or a sort with a table scan under it and no LIMIT in between. */
    @SuppressWarnings("unchecked")
    private static void problems(Map<String, Object> node, boolean underUnboundedSort, List<String> out) {
        String type = String.valueOf(node.get("Node Type"));
        if (type.equals("Seq Scan")) {
            out.add("Seq Scan on " + node.get("Relation Name"));
        }
        if (underUnboundedSort && type.contains("Scan") && node.get("Relation Name") != null) { // a table, not unnest's array
            out.add("Sort over " + type + " on " + node.get("Relation Name"));
        }
        boolean sortHere = type.equals("Sort") || type.equals("Incremental Sort");
        boolean below = sortHere || (underUnboundedSort && !type.equals("Limit"));
        for (Object child : (List<Object>) node.getOrDefault("Plans", List.of())) {
            problems((Map<String, Object>) child, below, out);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPageReadsFewIndexEntriesAtAMillionRowsWithoutStatistics() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_user_tables WHERE relname LIKE 'audit_logs%' "
                     + "AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "no partition may have been analysed");
        }
        String after = "'" + Instant.now().minusSeconds(40L * 86400) + "'";
        Map<String, Map<String, String>> scopes = new LinkedHashMap<>();
        scopes.put("one company", Map.of("allCompanies", "false", "companies", "'{" + companies.get(3) + "}'"));
        scopes.put("two companies", Map.of("allCompanies", "false", "companies", "'{" + companies.get(3) + "," + companies.get(7) + "}'"));
        scopes.put("platform admin", Map.of("allCompanies", "true", "companies", "'{}'"));
        for (var scope : scopes.entrySet()) {
            for (String first : List.of("'1970-01-01T00:00:00Z'", after)) {
                Map<String, String> values = new LinkedHashMap<>(scope.getValue());
                values.putAll(Map.of("afterAt", first, "afterId", "'00000000-0000-0000-0000-000000000000'", "before",
                        "'9999-01-01T00:00:00Z'", "resourceType", "NULL", "resourceId", "NULL", "eventType", "NULL", "limit", "51"));
                for (boolean generic : new boolean[] {false, true}) {
                    String what = scope.getKey() + ", after " + first + (generic ? ", generic plan" : ", custom plan");
                    Map<String, Object> plan = plan(generic, false, values);
                    List<String> problems = new ArrayList<>();
                    problems((Map<String, Object>) plan.get("Plan"), false, problems);
                    assertEquals(List.of(), problems, what + ": " + plan);
                }
                Map<String, Object> run = plan(false, true, values);
                System.out.printf("[plan] audit page, %s, after %s: %.1f ms%n", scope.getKey(), first, run.get("Execution Time"));
                assertEquals(51, ((Number) ((Map<String, Object>) run.get("Plan")).get("Actual Rows")).intValue());
            }
        }
    }

    @Test
    void theExportOfAMillionRowsRunsInA64MbHeap() throws Exception {
        for (String format : List.of("NDJSON", "CSV")) {
            Process p = new ProcessBuilder(new File(System.getProperty("java.home"), "bin/java").getPath(), "-Xmx64m",
                    "-cp", System.getProperty("java.class.path"), ExportMemoryProbe.class.getName(), db.url(), db.username(),
                    db.password(), format).redirectErrorStream(true).start();
            List<String> output;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                output = r.lines().toList();
            }
            assertTrue(p.waitFor(5, TimeUnit.MINUTES));
            String summary = output.stream().filter(l -> l.startsWith("rows=")).findFirst().orElse(null);
            System.out.println("[export] " + format + " with -Xmx64m: " + summary);
            assertEquals(0, p.exitValue(), String.join("\n", output));
            assertTrue(summary != null && summary.startsWith("rows=" + ROWS + " "), String.join("\n", output));
        }
    }
}
