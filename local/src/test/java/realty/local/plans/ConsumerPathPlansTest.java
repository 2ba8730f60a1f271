package realty.local.plans;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.consumer.ConsumerOutcomes;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer runtime's per-batch statements on {@code consumer_outcomes} as a queue function's
 * pooled connection runs them while the table grows from a few rows to a million, never analysed
 * (issue 16). The JDBC driver prepares a statement on the server after five executions and the
 * server then keeps a generic plan, made once, which only a change of the table's definition or
 * statistics replaces; with nothing analysing the table, a plan made at a thousand rows is still
 * used at a million. In the scale benchmark (P3S) that is how the audit drain of 20,000 events at
 * 1M rows did not finish in 4 minutes: the lock and record statements' generic plans, made during
 * the warm-up, read every row of the consumer through {@code consumer_outcomes_recent} (1.9 s and
 * 1.2 s per batch at 900k rows). Each statement is run (EXPLAIN ANALYZE, rolled back) with the plan
 * the early connection cached, and freshly planned as a custom and a generic plan, and must reach
 * the table by its primary key and touch no more rows of it than a few per id of the batch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumerPathPlansTest {
    /** Events of the fill; each has one outcome per consumer: a million rows. */
    private static final int EVENTS = 333_334;
    /** Events present when the early connection plans (the benchmark's warm-up drained a thousand). */
    private static final int EARLY_EVENTS = 1_000;
    private static final int BATCH = 100; // as deployed
    /** Rows of consumer_outcomes a batch's statement may touch per id (its own row; a few more for slack). */
    private static final int ROWS_PER_ID = 3;

    private PlanProbe db;
    /** The connection that prepared the statements while the table was small, as a pool's connection does. */
    private Connection early;
    private String ids;
    private final Map<String, List<String>> prepared = new LinkedHashMap<>();

    @BeforeAll
    void planEarlyThenFillToAMillionRows() throws Exception {
        long start = System.nanoTime();
        db = PlanProbe.create("plans_consumer");
        // ScaleBench.fill: event g has id md5('fill:' || g) and an outcome per consumer; the batch is the newest hundred
        ids = "'{" + String.join(",", java.util.stream.IntStream.rangeClosed(EVENTS - BATCH + 1, EVENTS)
                .mapToObj(g -> md5Uuid("fill:" + g)).toList()) + "}'";
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE consumer_outcomes SET (autovacuum_enabled = false)");
            s.execute(fill(1, EARLY_EVENTS));
        }
        early = db.connect();
        for (Map.Entry<String, Sql> e : statements().entrySet()) {
            prepare(e.getKey(), e.getValue());
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET synchronous_commit = off");
            s.execute(fill(EARLY_EVENTS + 1, EVENTS));
        }
        System.out.printf("[plan] consumer path: %,d outcomes, filled in %.1f s%n", 3 * EVENTS, (System.nanoTime() - start) / 1e9);
    }

    private static String fill(int from, int to) {
        return "INSERT INTO consumer_outcomes (event_id, consumer, status, attempts, first_attempt_at, processed_at, duration_micros, "
                + "updated_at) SELECT md5('fill:' || g)::uuid, c.consumer, 'PROCESSED', 1, t, t, 900, t FROM generate_series(" + from + ", " + to
                + ") g CROSS JOIN LATERAL (SELECT now() - (" + EVENTS + " - g) * (interval '25 days' / " + EVENTS + ") AS t) t "
                + "CROSS JOIN (VALUES ('audit'), ('commission'), ('notification')) c(consumer)";
    }

    private static String md5Uuid(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("MD5").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d).replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A statement with its parameters' types and values by name. */
    private record Sql(String sql, Map<String, String> types, Map<String, String> values) {
    }

    private Map<String, Sql> statements() {
        Map<String, Sql> all = new LinkedHashMap<>();
        all.put("ensure", new Sql(ConsumerOutcomes.ENSURE, Map.of("consumer", "text", "ids", "uuid[]"),
                Map.of("consumer", "'audit'", "ids", ids)));
        all.put("lock", new Sql(ConsumerOutcomes.LOCK, Map.of("consumer", "text", "ids", "uuid[]"),
                Map.of("consumer", "'audit'", "ids", ids)));
        all.put("record", new Sql(ConsumerOutcomes.RECORD,
                Map.of("ids", "uuid[]", "statuses", "text[]", "attempts", "int[]", "errors", "text[]", "durations", "bigint[]", "consumer", "text"),
                Map.of("ids", ids, "statuses", "array_fill('PROCESSED'::text, ARRAY[" + BATCH + "])", "attempts", "array_fill(1, ARRAY[" + BATCH + "])",
                        "errors", "array_fill(NULL::text, ARRAY[" + BATCH + "])", "durations", "array_fill(10::bigint, ARRAY[" + BATCH + "])",
                        "consumer", "'audit'")));
        return all;
    }

    /** PREPAREd on the early connection and executed as a pool's connection does, until the server keeps a generic plan. */
    private void prepare(String name, Sql st) throws Exception {
        PlanProbe.Numbered n = PlanProbe.numberNamed(st.sql());
        List<String> values = n.names().stream().map(st.values()::get).toList();
        try (Statement s = early.createStatement()) {
            s.execute("PREPARE " + name + "(" + String.join(", ", n.names().stream().map(st.types()::get).toList()) + ") AS " + n.sql());
            early.setAutoCommit(false);
            // plancache.c: five custom plans, then the generic one is made and kept if it is no dearer than they were
            for (int i = 0; i < 6; i++) {
                s.execute("EXECUTE " + name + "(" + String.join(", ", values) + ")");
            }
            early.rollback();
            early.setAutoCommit(true);
        }
        prepared.put(name, values);
    }

    @AfterAll
    void drop() throws Exception {
        if (early != null) {
            early.close();
        }
        if (db != null) {
            db.drop();
        }
    }

    @Test
    void theTableHasNeverBeenAnalysed() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT last_analyze IS NULL AND last_autoanalyze IS NULL FROM pg_stat_user_tables "
                     + "WHERE relname = 'consumer_outcomes'")) {
            rs.next();
            assertTrue(rs.getBoolean(1), "consumer_outcomes must not have been analysed");
        }
    }

    @Test
    void theLockReadsTheBatchsRowsByPrimaryKey() throws Exception {
        check("lock");
    }

    @Test
    void theRecordWritesTheBatchsRowsByPrimaryKey() throws Exception {
        check("record");
    }

    @Test
    void theEnsureChecksTheBatchsKeysOnly() throws Exception {
        check("ensure");
    }

    private void check(String name) throws Exception {
        Sql st = statements().get(name);
        // the plans the early connection kept: the generic one it made at a thousand rows, and what the cache picks
        for (String mode : List.of("force_generic_plan", "auto")) {
            Map<String, Object> plan;
            try (Statement s = early.createStatement()) {
                early.setAutoCommit(false);
                s.execute("SET LOCAL plan_cache_mode = " + mode);
                try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE " + name + "(" + String.join(", ", prepared.get(name)) + ")")) {
                    rs.next();
                    plan = PlanProbe.top(rs.getString(1));
                } finally {
                    early.rollback();
                    early.setAutoCommit(true);
                }
            }
            assertBatchSized(name + ", prepared at " + String.format("%,d", 3 * EARLY_EVENTS) + " rows (" + mode + ")", plan);
        }
        // and planned now, at a million rows
        for (boolean generic : new boolean[] {false, true}) {
            assertBatchSized(name + (generic ? ", generic plan" : ", custom plan"), db.explainNamed(st.sql(), generic, st.types(), st.values(), true));
        }
    }

    /** Every access to consumer_outcomes by primary key (or conflict arbiter), and a batch's worth of rows touched. */
    private void assertBatchSized(String which, Map<String, Object> plan) {
        {
            List<String> accesses = new ArrayList<>();
            Map<String, Long> touched = new LinkedHashMap<>();
            PlanProbe.walk(plan.get("Plan"), node -> {
                String relation = String.valueOf(node.get("Relation Name"));
                String index = String.valueOf(node.get("Index Name"));
                if (!relation.equals("consumer_outcomes") && !index.startsWith("consumer_outcomes")) {
                    return;
                }
                // per loop (an average, fractional in newer servers), times the loops
                long rows = Math.round((number(node, "Actual Rows") + number(node, "Rows Removed by Filter")
                        + number(node, "Rows Removed by Index Recheck")) * number(node, "Actual Loops"));
                String name = node.get("Node Type") + (node.get("Index Name") == null ? "" : " " + index);
                touched.merge(name, rows, Long::sum);
                if (node.get("Index Name") != null) {
                    accesses.add(index + " " + node.get("Index Cond"));
                } else if (!String.valueOf(node.get("Node Type")).equals("Bitmap Heap Scan")
                        && !String.valueOf(node.get("Node Type")).equals("ModifyTable")) {
                    accesses.add(String.valueOf(node.get("Node Type")));
                }
            });
            String conflict = plan.toString().contains("Conflict Arbiter Indexes=[consumer_outcomes_pkey]") ? " (arbiter: pkey)" : "";
            System.out.printf("[plan] consumer path, %s: %s%s, rows touched %s, %.1f ms: %s%n", which, accesses, conflict, touched,
                    ((Number) plan.get("Execution Time")).doubleValue(), PlanProbe.summary(plan).replaceAll("'\\{[^}]{40,}}'", "'{...}'"));
            for (String access : accesses) {
                assertTrue(access.startsWith("consumer_outcomes_pkey") && access.contains("event_id"),
                        which + " must reach consumer_outcomes by its primary key, plan has " + accesses);
            }
            for (Map.Entry<String, Long> t : touched.entrySet()) {
                assertTrue(t.getValue() <= (long) ROWS_PER_ID * BATCH, which + ": " + t.getKey() + " touched " + t.getValue()
                        + " rows of consumer_outcomes for a batch of " + BATCH + " ids");
            }
            assertEquals(true, !accesses.isEmpty() || !conflict.isEmpty(), which + ": no access to consumer_outcomes in the plan");
        }
    }

    private static double number(Map<?, ?> node, String key) {
        return node.get(key) instanceof Number n ? n.doubleValue() : 0;
    }
}
