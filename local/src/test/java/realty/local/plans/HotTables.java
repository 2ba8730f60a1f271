package realty.local.plans;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The rows of {@link PlanProbe#hotTables()}: a million in every table a hot statement reads or
 * writes, made with generate_series (row g of a kind has id {@link PlanProbe#id}(kind, g)), and
 * never analysed. Triggers (foreign keys included) are off while filling:
 * the rows are consistent by construction and a million trigger calls per table would dominate.
 *
 * <p>Fast, with the tables as production has them: the indexes no constraint owns are dropped, the
 * tables filled on two connections, the indexes built again by sorting (several times cheaper than
 * a million inserts into each), and then the catalogue's size figures of every table and index
 * (relpages, reltuples, relallvisible, which an index build sets) put back to what the migrations
 * left, so the planner knows as little as on a table filled row by row and never vacuumed. The
 * indexes and figures are checked to be the same as before the fill. Without the rights to set
 * them (a non-superuser on an external server) the tables are filled with their indexes in place.
 */
final class HotTables {
    /** Companies of the tenant tables: row g belongs to company 1 + g mod COMPANIES. */
    static final int COMPANIES = 1000;
    /** Connections that fill (and index) at once. */
    private static final int WORKERS = 2;

    private HotTables() {
    }

    static void fill(PlanProbe probe) throws SQLException {
        long start = System.nanoTime();
        List<String> droppable;
        Map<String, String> indexesBefore;
        Map<String, String> sizesBefore;
        boolean rebuild;
        try (Connection c = probe.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT audit_logs_ensure_partition(CAST(m AS date)) FROM generate_series(date_trunc('month', now() - interval '90 days'), "
                    + "now(), interval '1 month') m");
            // No autovacuum anywhere: the statistics stay what a busy production table may have, none at all.
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                s.execute("ALTER TABLE " + t + " SET (autovacuum_enabled = false)");
            }
            try (ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                rebuild = rs.next() && rs.getBoolean(1);
            }
            indexesBefore = indexes(s);
            sizesBefore = sizes(s);
            droppable = new ArrayList<>();
            if (rebuild) {
                // Indexes of a constraint (primary keys, unique keys a foreign key refers to) stay: the ids grow with
                // the row number, so their inserts land at the right edge of each b-tree and cost little.
                try (ResultSet rs = s.executeQuery("SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                        + "WHERE i.relnamespace = 'public'::regnamespace AND NOT i.relispartition "
                        + "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)")) {
                    while (rs.next()) {
                        droppable.add(rs.getString(1));
                    }
                }
                for (String index : droppable) {
                    s.execute("DROP INDEX " + index);
                }
            }
        }
        long filling = System.nanoTime();
        inParallel(probe, rows());
        long indexing = System.nanoTime();
        if (rebuild) {
            // A partitioned table's index is printed "ON ONLY" (the parent alone); built on the table, it is built on
            // every partition under the names the migrations' partitions got.
            inParallel(probe, droppable.stream().map(i -> indexesBefore.get(i).replace(" ON ONLY ", " ON ")).toList());
            try (Connection c = probe.connect(); Statement s = c.createStatement()) {
                for (Map.Entry<String, String> size : sizesBefore.entrySet()) {
                    String[] v = size.getValue().split(" ");
                    s.execute("UPDATE pg_class SET relpages = " + v[0] + ", reltuples = " + v[1] + ", relallvisible = " + v[2]
                            + " WHERE oid = 'public." + size.getKey() + "'::regclass");
                }
            }
        }
        try (Connection c = probe.connect(); Statement s = c.createStatement()) {
            if (!indexes(s).equals(indexesBefore)) {
                throw new IllegalStateException("the hot tables' indexes differ from the migrations': " + indexes(s) + " against " + indexesBefore);
            }
            if (!sizes(s).equals(sizesBefore)) {
                throw new IllegalStateException("the hot tables' size figures differ from the migrations': " + sizes(s) + " against " + sizesBefore);
            }
        }
        System.out.printf("[plan] hot tables: %.1f s to prepare, %.1f s to fill, %.1f s to index (%d indexes rebuilt, %d connections)%n",
                (filling - start) / 1e9, (indexing - filling) / 1e9, (System.nanoTime() - indexing) / 1e9, droppable.size(), WORKERS);
    }

    /** Every index of the schema, partitions' included, with its definition. */
    private static Map<String, String> indexes(Statement s) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (ResultSet rs = s.executeQuery("SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                + "WHERE i.relnamespace = 'public'::regnamespace")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /** The catalogue's size figures of every table and index: "relpages reltuples relallvisible". */
    private static Map<String, String> sizes(Statement s) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (ResultSet rs = s.executeQuery("SELECT relname, relpages || ' ' || reltuples || ' ' || relallvisible FROM pg_class "
                + "WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'i', 'I')")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /** Runs the statements on {@link #WORKERS} connections, each taking the next statement when done with one. */
    private static void inParallel(PlanProbe probe, List<String> statements) throws SQLException {
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(statements);
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<Void>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                workers.add(pool.submit(() -> {
                    try (Connection c = probe.connect(); Statement s = c.createStatement()) {
                        s.execute("SET session_replication_role = replica");
                        s.execute("SET synchronous_commit = off");
                        s.execute("SET maintenance_work_mem = '256MB'");
                        // Two connections keep both cores busy; a parallel build on top would only compete with them.
                        s.execute("SET max_parallel_maintenance_workers = 0");
                        for (String sql = queue.poll(); sql != null; sql = queue.poll()) {
                            s.execute(sql);
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> w : workers) {
                w.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One INSERT ... SELECT generate_series per table, in any order (no trigger runs while filling). */
    private static List<String> rows() {
        int n = PlanProbe.ROWS;
        List<String> rows = new ArrayList<>();
        String company = PlanProbe.idSql("company", "(1 + mod(g, " + COMPANIES + "))") ;
        rows.add("INSERT INTO companies (id, name) SELECT " + PlanProbe.idSql("company", "g") + ", 'Company ' || g FROM generate_series(1, " + COMPANIES + ") g");
        rows.add("INSERT INTO users (id, email, name, password_hash) SELECT " + PlanProbe.idSql("user", "g") + ", 'user' || lpad(g::text, 7, '0') || '@plans.test', "
                + "'User ' || g, CASE WHEN mod(g, 10) = 0 THEN NULL ELSE 'x' END FROM generate_series(1, " + n + ") g");
        rows.add("INSERT INTO user_profiles (user_id, profile) SELECT " + PlanProbe.idSql("user", "g") + ", (ARRAY['owner', 'director', 'manager', "
                + "'agent', 'prospector', 'receptionist', 'financial', 'legal', 'portal'])[1 + mod(g, 9)] FROM generate_series(1, " + n + ") g");
        rows.add("INSERT INTO user_companies (user_id, company_id) SELECT " + PlanProbe.idSql("user", "g") + ", " + company
                + " FROM generate_series(1, " + n + ") g");
        rows.add("INSERT INTO user_invitations (id, user_id, token_hash, expires_at, created_by, accepted_at) SELECT " + PlanProbe.idSql("invitation", "g") + ", "
                + PlanProbe.idSql("user", "g") + ", 'token-' || lpad(g::text, 8, '0'), now() + (mod(g, 100) - 50) * interval '1 day', 'plans', "
                + "CASE WHEN mod(g, 2) = 0 THEN now() END FROM generate_series(1, " + n + ") g");
        rows.add("INSERT INTO password_reset_requests (id, user_id, token_hash, requested_at, expires_at) SELECT " + PlanProbe.idSql("reset", "g") + ", "
                + PlanProbe.idSql("user", "g") + ", 'reset-token-' || lpad(g::text, 8, '0'), now() - g * interval '1 second', now() - g * interval '1 second' "
                + "+ interval '1 hour' FROM generate_series(1, " + n + ") g");
        rows.add("INSERT INTO agents (id, company_id, user_id, name) SELECT " + PlanProbe.idSql("agent", "g") + ", " + company + ", " + PlanProbe.idSql("user", "g") + ", "
                + "'Agent ' || g FROM generate_series(1, " + n + ") g");
        rows.add("INSERT INTO properties (id, company_id, reference_code, title, type, price, agent_id, created_by) SELECT "
                + PlanProbe.idSql("property", "g") + ", " + company + ", 'P-' || g, 'House ' || g, 'house', 500000, " + PlanProbe.idSql("agent", "g") + ", 'plans' "
                + "FROM generate_series(1, " + n + ") g");
        rows.add("INSERT INTO sales (id, company_id, property_id, sale_price, sale_date, buyer_name, agent_id, commission_status, created_by) "
                + "SELECT " + PlanProbe.idSql("sale", "g") + ", " + company + ", " + PlanProbe.idSql("property", "g") + ", 500000, date '2010-01-01' + mod(g, 5000), "
                + "'Buyer', " + PlanProbe.idSql("agent", "g") + ", CASE WHEN mod(g, 100) = 0 THEN 'pending' ELSE 'calculated' END, 'plans' "
                + "FROM generate_series(1, " + n + ") g");
        rows.add("INSERT INTO commission_rules (id, company_id, agent_id, transaction_type, structure, percentage, valid_from, created_by) "
                + "SELECT " + PlanProbe.idSql("rule", "g") + ", " + company + ", " + PlanProbe.idSql("agent", "g") + ", 'sale', 'percentage', 5, date '2000-01-01', 'plans' "
                + "FROM generate_series(1, " + n + ") g");
        rows.add("INSERT INTO commission_transactions (id, company_id, sale_id, agent_id, role, rule_id, rule_snapshot, base_amount, "
                + "commission_total, percentage_applied, amount, calculated_by) SELECT " + PlanProbe.idSql("transaction", "g") + ", " + company + ", "
                + PlanProbe.idSql("sale", "g") + ", " + PlanProbe.idSql("agent", "g") + ", 'agent', " + PlanProbe.idSql("rule", "g") + ", '{}', 500000, 25000, 100, 25000, 'plans' "
                + "FROM generate_series(1, " + n + ") g");
        // Event g is g minutes old; the newest thousand still pending (a relay backlog).
        rows.add("INSERT INTO outbox_events (id, type, version, company_id, aggregate_type, aggregate_id, correlation_id, priority, body, "
                + "status, occurred_at, published_at) SELECT " + PlanProbe.idSql("event", "g") + ", 'user.created', 1, " + company + ", 'user', g::text, "
                + "'request-' || (g / 10), 5, '{}', CASE WHEN g <= 1000 THEN 'PENDING' ELSE 'PUBLISHED' END, now() - g * interval '1 minute', "
                + "CASE WHEN g > 1000 THEN now() - g * interval '1 minute' END FROM generate_series(1, " + n + ") g");
        // One outcome per event, of one of three consumers; a few failing.
        rows.add("INSERT INTO consumer_outcomes (event_id, consumer, status, attempts, updated_at) SELECT " + PlanProbe.idSql("event", "g") + ", "
                + "(ARRAY['audit', 'commission', 'notification'])[1 + mod(g, 3)], CASE mod(g, 1000) WHEN 0 THEN 'DEAD' WHEN 1 THEN 'RETRYING' "
                + "ELSE 'PROCESSED' END, 1, now() - g * interval '1 second' FROM generate_series(1, " + n + ") g");
        // As AuditLogPlansTest had it: one company in twenty per row, 90 days back, a few seconds apart.
        rows.add("INSERT INTO audit_logs (id, company_id, event_id, event_type, actor_user_id, resource_type, resource_id, occurred_at, data) "
                + "SELECT " + PlanProbe.idSql("audit", "g") + ", " + PlanProbe.idSql("company", "(1 + mod(g, " + PlanProbe.AUDIT_COMPANIES + "))") + ", "
                + PlanProbe.idSql("event", "g") + ", "
                + "'user.updated', CAST(mod(g, 5000) AS text), 'user', CAST(mod(g, 5000) AS text), now() - g * interval '7 seconds', "
                + "jsonb_build_object('n', g, 'changes', jsonb_build_object('name', jsonb_build_object('from', 'Ana', 'to', 'Ana Souza'))) "
                + "FROM generate_series(1, " + n + ") g");
        // 50,000 recipients; one mail in a thousand held by the rate limit.
        rows.add("INSERT INTO sent_notifications (event_id, event_type, company_id, recipient_email, recipient_name, locale, template, subject, "
                + "status, created_at, sent_at) SELECT " + PlanProbe.idSql("event", "g") + ", 'user.created', " + company + ", 'r' || mod(g, 50000) || '@plans.test', "
                + "'R', 'pt-BR', 'welcome', 'Welcome', CASE WHEN mod(g, 1000) = 0 THEN 'HELD' ELSE 'SENT' END, now() - g * interval '1 minute', "
                + "CASE WHEN mod(g, 1000) <> 0 THEN now() - g * interval '1 minute' END FROM generate_series(1, " + n + ") g");
        rows.add("INSERT INTO webhook_subscriptions (id, company_id, url, event_types, secret, created_by, created_at) SELECT " + PlanProbe.idSql("webhook", "g") + ", "
                + PlanProbe.idSql("company", "g") + ", 'https://hooks.example.com/' || g, ARRAY['user.created'], 's', 'plans', now() - interval '1 year' "
                + "FROM generate_series(1, " + COMPANIES + ") g");
        rows.add("INSERT INTO webhook_deliveries (event_id, subscription_id, company_id, event_type, status, attempts, first_attempt_at, "
                + "last_attempt_at) SELECT " + PlanProbe.idSql("event", "g") + ", " + PlanProbe.idSql("webhook", "(1 + mod(g, " + COMPANIES + "))") + ", " + company + ", "
                + "'user.created', 'DELIVERED', 1, now() - g * interval '1 minute', now() - g * interval '1 minute' FROM generate_series(1, " + n + ") g");
        // As LoginThrottlePlansTest had it.
        rows.add("INSERT INTO login_throttles (key, window_start, attempts, failures) SELECT "
                + "(CASE WHEN mod(g, 2) = 0 THEN 'account:' ELSE 'source:' END) || lpad(to_hex(g), 32, '0'), "
                + "now() - mod(g, 3600) * interval '1 second', 1 + mod(g, 5), mod(g, 5) FROM generate_series(1, " + n + ") g");
        // 100,000 sources over ten one-minute windows; those over the limit (20) summarised.
        rows.add("INSERT INTO refusal_windows (source, window_start, refusals, summarized_at) SELECT 'source-' || mod(g, 100000), "
                + "date_trunc('minute', now()) - (g / 100000) * interval '1 minute', 1 + mod(g, 30), "
                + "CASE WHEN 1 + mod(g, 30) > 20 THEN now() END FROM generate_series(1, " + n + ") g");
        // Finished bulks, and the hundred newest still open.
        rows.add("INSERT INTO bulk_operations (id, company_id, kind, correlation_id, item_count, outstanding, created_at, finished_at) "
                + "SELECT " + PlanProbe.idSql("bulk", "g") + ", " + company + ", 'sale_bulk', 'request-' || g, 10, CASE WHEN g <= 100 THEN 5 ELSE 0 END, "
                + "now() - g * interval '1 minute', CASE WHEN g > 100 THEN now() - g * interval '1 minute' END FROM generate_series(1, " + n + ") g");
        return rows;
    }
}
