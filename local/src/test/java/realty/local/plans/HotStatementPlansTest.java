package realty.local.plans;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import realty.core.consumer.ConsumerOutcomes;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-batch statements of the consumer runtime must find their rows through the primary key
 * whatever the table statistics (targets.md P9): on a million rows that were never analysed, and
 * again after ANALYZE. Before the fix the lock statement walked every row of the consumer through
 * {@code consumer_outcomes_recent} and filtered for the batch's ids, so each batch cost time in
 * proportion to the table. A database of its own (PlanProbe.hotTables() is never analysed), since
 * this test takes statistics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HotStatementPlansTest {
    private static final int ROWS = 1_000_000;
    private PlanProbe db;
    private final List<UUID> batch = new ArrayList<>();

    @BeforeAll
    void fillAMillionRowsWithoutStatistics() throws Exception {
        db = PlanProbe.create("plans");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // No autovacuum: the statistics stay what a busy production table may have, none at all.
            s.execute("ALTER TABLE consumer_outcomes SET (autovacuum_enabled = false)");
            String fill = "INSERT INTO consumer_outcomes (event_id, consumer, status, attempts, updated_at) "
                    + "SELECT gen_random_uuid(), (ARRAY['audit','commission','notification'])[1 + mod(g, 3)], 'PROCESSED', 1, "
                    + "now() - g * interval '1 second' FROM generate_series(1, %d) g";
            s.execute(String.format(fill, ROWS));
            try (ResultSet rs = s.executeQuery("SELECT event_id FROM consumer_outcomes WHERE consumer = 'audit' LIMIT 100")) {
                while (rs.next()) {
                    batch.add(rs.getObject(1, UUID.class));
                }
            }
        }
    }

    @AfterAll
    void drop() {
        db.drop();
    }

    private Connection connect() throws Exception {
        return db.connect();
    }

    /**
     * Every access to consumer_outcomes in the plan (node type, index name, index condition): scans of
     * the table, and the index scans under a bitmap heap scan, which name only their index. The plan
     * is the custom one (values known, as for the first executions of a prepared statement) or the
     * generic plan a server-side prepared statement switches to after five executions, which must be
     * good without knowing the values.
     */
    private List<String> plan(String sql, boolean generic, Map<String, String> types, Map<String, String> values) throws Exception {
        // The repository's named parameters (":ids", not the "::uuid[]" casts), typed and valued by name.
        Map<String, Object> top = db.explainNamed(sql, generic, types, values, false);
        List<String> scans = new ArrayList<>(db.scans(top).stream()
                .filter(s -> s.table().equals("consumer_outcomes") && !s.type().equals("Bitmap Heap Scan"))
                .map(s -> s.type() + " " + s.index() + " " + s.cond()).toList());
        // An upsert reaches its rows through its conflict arbiter, by key, with no scan to plan.
        if (top.toString().contains("Conflict Arbiter Indexes=[consumer_outcomes_pkey]")) {
            scans.add("Conflict Arbiter consumer_outcomes_pkey (event_id, consumer)");
        }
        return scans;
    }

    private void assertPrimaryKeyLookups(String what, List<String> scans) {
        System.out.println("[plan] " + what + ": " + scans.stream().map(x -> x.replaceAll("'\\{[^}]*}'", "'{...}'")).toList());
        assertTrue(!scans.isEmpty(), what + ": no scan of consumer_outcomes in the plan");
        for (String scan : scans) {
            assertTrue(scan.contains("consumer_outcomes_pkey") && scan.contains("event_id"),
                    what + " must look its rows up by primary key, plan has: " + scans);
        }
    }

    private void checkEveryHotStatement(String when) throws Exception {
        for (boolean generic : new boolean[] {false, true}) {
            checkEveryHotStatement(when + (generic ? ", generic plan" : ", custom plan"), generic);
        }
    }

    private void checkEveryHotStatement(String when, boolean generic) throws Exception {
        String ids = "'{" + String.join(",", batch.stream().map(UUID::toString).toList()) + "}'";
        String n = String.valueOf(batch.size());
        assertPrimaryKeyLookups("lock (" + when + ")", plan(ConsumerOutcomes.LOCK, generic,
                Map.of("consumer", "text", "ids", "uuid[]"), Map.of("consumer", "'audit'", "ids", ids)));
        assertPrimaryKeyLookups("record (" + when + ")", plan(ConsumerOutcomes.RECORD, generic,
                Map.of("ids", "uuid[]", "statuses", "text[]", "attempts", "int[]", "errors", "text[]", "durations", "bigint[]", "consumer", "text"),
                Map.of("ids", ids, "statuses", "array_fill('PROCESSED'::text, ARRAY[" + n + "])", "attempts", "array_fill(1, ARRAY[" + n + "])",
                        "errors", "array_fill(NULL::text, ARRAY[" + n + "])", "durations", "array_fill(10::bigint, ARRAY[" + n + "])",
                        "consumer", "'audit'")));
    }

    @Test
    @Order(1)
    void theConsumerRuntimesStatementsUseThePrimaryKeyOnAMillionRowsWithoutStatistics() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), max(last_analyze), max(last_autoanalyze) FROM pg_stat_user_tables "
                     + "WHERE relname = 'consumer_outcomes'")) {
            rs.next();
            assertEquals(null, rs.getTimestamp(2), "the table must not have been analysed yet");
            assertEquals(null, rs.getTimestamp(3), "the table must not have been analysed yet");
        }
        checkEveryHotStatement("no statistics");
    }

    @Test
    @Order(2)
    void withStatisticsTakenWhenTheTableWasEmpty() throws Exception {
        // A fresh deployment: autovacuum analysed the table before the first event arrived.
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE keep AS SELECT * FROM consumer_outcomes");
            s.execute("TRUNCATE consumer_outcomes");
            s.execute("ANALYZE consumer_outcomes");
            s.execute("INSERT INTO consumer_outcomes SELECT * FROM keep");
        }
        checkEveryHotStatement("statistics of the empty table");
    }

    @Test
    @Order(3)
    void withStatisticsTakenWhenTheTableWasSmall() throws Exception {
        // The statistics of a young table: analysed at a thousand rows, a million rows ago.
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE keep AS SELECT * FROM consumer_outcomes");
            s.execute("TRUNCATE consumer_outcomes");
            s.execute("INSERT INTO consumer_outcomes SELECT * FROM keep ORDER BY random() LIMIT 1000");
            s.execute("ANALYZE consumer_outcomes");
            s.execute("TRUNCATE consumer_outcomes");
            s.execute("INSERT INTO consumer_outcomes SELECT * FROM keep");
        }
        checkEveryHotStatement("stale statistics");
    }

    @Test
    @Order(4)
    void andAfterAnalyze() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("ANALYZE consumer_outcomes");
        }
        checkEveryHotStatement("analysed");
    }
}
