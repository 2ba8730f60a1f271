package realty.local.plans;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.housekeeping.OutboxPrune;
import realty.notification.mail.MailLedgerPrune;
import realty.notification.webhook.WebhookLedgerPrune;

import java.sql.Connection;
import java.sql.Statement;
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
    private PlanProbe db;

    @BeforeAll
    void fill() throws Exception {
        db = PlanProbe.create("prune_plans");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
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
    void drop() {
        db.drop();
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
        // "table node-type index" for every node that reads a table or an index.
        return db.scans(db.explain(PlanProbe.numberQuestionMarks(sql), generic, types, values, false)).stream()
                .map(s -> s.table() + " " + s.type() + " " + s.index()).toList();
    }
}
