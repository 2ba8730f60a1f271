package realty.local.plans;

import io.micronaut.json.JsonMapper;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.housekeeping.OutboxPrune;
import realty.localinfra.LocalPostgres;
import realty.notification.mail.MailLedgerPrune;
import realty.notification.webhook.WebhookLedgerPrune;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The housekeeping prunes find each batch through an index, not by reading the table (targets.md
 * P9): on 300,000 rows per table of which a tenth are past retention, analysed, as a custom and as
 * a generic plan.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrunePlansTest {
    private static final int ROWS = 300_000;
    private final LocalPostgres postgres = LocalPostgres.shared();
    private final String database = "prune_plans_" + UUID.randomUUID().toString().replace("-", "");
    private final JsonMapper json = JsonMapper.createDefault();
    private String url;

    @BeforeAll
    void fill() throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        url = postgres.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        Flyway.configure().dataSource(url, postgres.username(), postgres.password()).locations("classpath:db/migration").load().migrate();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            // Row g is g minutes old: the oldest tenth lies before CUTOFF.
            s.execute("INSERT INTO outbox_events (id, type, version, aggregate_type, aggregate_id, priority, body, status, occurred_at, "
                    + "published_at) SELECT gen_random_uuid(), 'user.created', 1, 'user', g::text, 5, '{}', 'PUBLISHED', "
                    + "now() - g * interval '1 minute', now() - g * interval '1 minute' FROM generate_series(1, " + ROWS + ") g");
            s.execute("INSERT INTO consumer_outcomes (event_id, consumer, status, attempts, updated_at) "
                    + "SELECT id, c, 'PROCESSED', 1, published_at FROM outbox_events, unnest(ARRAY['audit', 'notification']) c");
            s.execute("INSERT INTO sent_notifications (event_id, event_type, recipient_email, recipient_name, locale, template, "
                    + "subject, status, created_at, sent_at) SELECT gen_random_uuid(), 'user.created', 'r' || mod(g, 500) || '@x.dev', "
                    + "'R', 'pt-BR', 'welcome', 'W', 'SENT', now() - g * interval '1 minute', now() - g * interval '1 minute' "
                    + "FROM generate_series(1, " + ROWS + ") g");
            UUID company = UUID.randomUUID();
            UUID subscription = UUID.randomUUID();
            s.execute("INSERT INTO companies (id, name) VALUES ('" + company + "', 'Plans')");
            s.execute("INSERT INTO webhook_subscriptions (id, company_id, url, event_types, secret, created_by) VALUES ('"
                    + subscription + "', '" + company + "', 'https://hooks.example.com/x', ARRAY['user.created'], 's', 'test')");
            s.execute("INSERT INTO webhook_deliveries (event_id, subscription_id, company_id, event_type, status, attempts, "
                    + "first_attempt_at, last_attempt_at) SELECT gen_random_uuid(), '" + subscription + "', '" + company + "', "
                    + "'user.created', 'DELIVERED', 1, now() - g * interval '1 minute', now() - g * interval '1 minute' "
                    + "FROM generate_series(1, " + ROWS + ") g");
            s.execute("ANALYZE");
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

    /** A cutoff with the oldest tenth of the rows before it. */
    private static final String CUTOFF = "now() - interval '" + (ROWS * 9 / 10) + " minutes'";

    @Test
    void theOutboxPruneWalksThePublishedIndexAndLooksOutcomesUpByKey() throws Exception {
        for (boolean generic : new boolean[] {false, true}) {
            List<String> scans = plan(OutboxPrune.BATCH, generic, List.of("text", "timestamptz", "timestamptz", "uuid", "int"),
                    List.of("'{\"user.created\": [\"audit\", \"notification\"]}'", CUTOFF, "'1970-01-01Z'",
                            "'00000000-0000-0000-0000-000000000000'", "1000"));
            // The page through the published index; the deletes of the page's rows by primary key.
            assertIndexed("outbox prune" + (generic ? " (generic)" : ""), scans, Map.of(
                    "outbox_events", "outbox_events_(published|pkey)", "consumer_outcomes", "consumer_outcomes_pkey"));
        }
    }

    @Test
    void theLedgerPrunesFindTheirRowsByAge() throws Exception {
        for (boolean generic : new boolean[] {false, true}) {
            assertIndexed("mail ledger prune" + (generic ? " (generic)" : ""),
                    plan(MailLedgerPrune.BATCH, generic, List.of("timestamptz", "int"), List.of(CUTOFF, "1000")),
                    Map.of("sent_notifications", "sent_notifications_\\w+"));
            assertIndexed("webhook ledger prune" + (generic ? " (generic)" : ""),
                    plan(WebhookLedgerPrune.BATCH, generic, List.of("timestamptz", "int"), List.of(CUTOFF, "1000")),
                    Map.of("webhook_deliveries", "webhook_deliveries_last_attempt|null"));
        }
    }

    /** Every scan of the named tables uses an index whose name matches the pattern; no sequential scan of them. */
    private static void assertIndexed(String what, List<String> scans, Map<String, String> indexOf) {
        System.out.println("[plan] " + what + ": " + scans);
        for (Map.Entry<String, String> table : indexOf.entrySet()) {
            List<String> ofTable = scans.stream().filter(s -> s.startsWith(table.getKey() + " ")).toList();
            assertTrue(!ofTable.isEmpty(), what + ": no access to " + table.getKey() + " in " + scans);
            for (String scan : ofTable) {
                // A TID scan (by row address, named "null" here) reads exactly the rows of the page too.
                assertTrue(scan.matches(table.getKey() + " ((Index|Index Only|Bitmap Index) Scan|Tid Scan) (" + table.getValue() + ")")
                                && !scan.contains("Seq Scan"),
                        what + ": " + table.getKey() + " must be read through " + table.getValue() + ", plan has " + scans);
            }
        }
    }

    /** The statement's {@code ?} parameters become $1, $2, ...; PREPAREd with these types, EXPLAIN EXECUTEd with these values. */
    private List<String> plan(String sql, boolean generic, List<String> types, List<String> values) throws Exception {
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            numbered.append(ch == '?' ? "$" + (++n) : String.valueOf(ch));
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.execute("SET LOCAL plan_cache_mode = " + (generic ? "force_generic_plan" : "force_custom_plan"));
                s.execute("PREPARE prune(" + String.join(", ", types) + ") AS " + numbered);
                try (ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE prune(" + String.join(", ", values) + ")")) {
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

    /** "table node-type index" for every node that reads a table or an index. */
    private static void scans(Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            String type = String.valueOf(map.get("Node Type"));
            if (type.contains("Scan") && (map.get("Relation Name") != null || map.get("Index Name") != null)) {
                Object relation = map.get("Relation Name");
                Object index = map.get("Index Name");
                String table = relation != null ? relation.toString() : String.valueOf(index).replaceAll("_(pkey|[a-z_]+)$", "");
                out.add(tableOf(table, index) + " " + type + " " + index);
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

    /** A bitmap index scan names only its index: its table is the one whose name the index starts with. */
    private static String tableOf(String table, Object index) {
        if (index == null) {
            return table;
        }
        for (String t : List.of("outbox_events", "consumer_outcomes", "sent_notifications", "webhook_deliveries")) {
            if (index.toString().startsWith(t)) {
                return t;
            }
        }
        return table;
    }
}
