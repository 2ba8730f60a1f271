package realty.local.plans;

import io.micronaut.json.JsonMapper;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import realty.core.consumer.ConsumerOutcomes;
import realty.localinfra.LocalPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
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
 * proportion to the table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HotStatementPlansTest {
    private static final int ROWS = 1_000_000;
    private final LocalPostgres postgres = LocalPostgres.shared();
    private final String database = "plans_" + UUID.randomUUID().toString().replace("-", "");
    private final JsonMapper json = JsonMapper.createDefault();
    private String url;
    private final List<UUID> batch = new ArrayList<>();

    @BeforeAll
    void fillAMillionRowsWithoutStatistics() throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        url = postgres.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        Flyway.configure().dataSource(url, postgres.username(), postgres.password()).locations("classpath:db/migration").load().migrate();
        try (Connection c = connect(); Statement s = c.createStatement()) {
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
    void drop() throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(url, postgres.username(), postgres.password());
    }

    /**
     * Every access to consumer_outcomes in the plan (node type, index name, index condition): scans of
     * the table, and the index scans under a bitmap heap scan, which name only their index.
     */
    private static void scans(Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            String type = String.valueOf(map.get("Node Type"));
            boolean tableScan = "consumer_outcomes".equals(map.get("Relation Name")) && type.contains("Scan")
                    && !type.equals("Bitmap Heap Scan");
            boolean indexScan = String.valueOf(map.get("Index Name")).startsWith("consumer_outcomes");
            if (tableScan || indexScan) {
                out.add(type + " " + map.get("Index Name") + " " + map.get("Index Cond"));
            }
            for (Object child : map.values()) {
                scans(child, out);
            }
        } else if (node instanceof List<?> list) {
            for (Object child : list) {
                scans(child, out);
            }
        }
    }

    /**
     * The plan PostgreSQL runs for {@code sql}, as a custom plan (the values known, as for the first
     * executions of a prepared statement) or as the generic plan a server-side prepared statement
     * switches to after five executions, which must be good without knowing the values. The
     * statement is PREPAREd with these parameter types and EXPLAIN EXECUTEd with these literals.
     */
    private List<String> plan(String sql, boolean generic, List<String> types, List<String> values) throws Exception {
        // The repository's named parameters (":ids", not the "::uuid[]" casts) become $1, $2, ... in order of appearance.
        Map<String, Integer> numbers = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<!:):([a-zA-Z0-9]+)").matcher(sql);
        StringBuilder numbered = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(numbered, "\\$" + numbers.computeIfAbsent(m.group(1), k -> numbers.size() + 1));
        }
        m.appendTail(numbered);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.execute("SET LOCAL plan_cache_mode = " + (generic ? "force_generic_plan" : "force_custom_plan"));
                s.execute("PREPARE hot(" + String.join(", ", types) + ") AS " + numbered);
                try (ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE hot(" + String.join(", ", values) + ")")) {
                    rs.next();
                    List<String> scans = new ArrayList<>();
                    scans(json.readValue(rs.getString(1), Object.class), scans);
                    return scans;
                }
            } finally {
                c.rollback();
                s.execute("DEALLOCATE ALL");
            }
        }
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
                List.of("text", "uuid[]"), List.of("'audit'", ids)));
        assertPrimaryKeyLookups("record (" + when + ")", plan(ConsumerOutcomes.RECORD, generic,
                List.of("uuid[]", "text[]", "int[]", "text[]", "bigint[]", "text"),
                List.of(ids, "array_fill('PROCESSED'::text, ARRAY[" + n + "])", "array_fill(1, ARRAY[" + n + "])",
                        "array_fill(NULL::text, ARRAY[" + n + "])", "array_fill(10::bigint, ARRAY[" + n + "])", "'audit'")));
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
