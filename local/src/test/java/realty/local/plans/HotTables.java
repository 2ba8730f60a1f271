package realty.local.plans;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of {@link PlanProbe#hotTables()}: a million in every table a hot statement reads or
 * writes, made with generate_series (row g of a kind has id {@link PlanProbe#id}(kind, g)), and
 * never analysed. Triggers (foreign keys included) are off while filling:
 * the rows are consistent by construction and a million trigger calls per table would dominate.
 */
final class HotTables {
    /** Companies of the tenant tables: row g belongs to company 1 + g mod COMPANIES. */
    static final int COMPANIES = 1000;

    private HotTables() {
    }

    static void fill(Statement s) throws SQLException {
        int n = PlanProbe.ROWS;
        s.execute("SET session_replication_role = replica");
        s.execute("SET synchronous_commit = off");
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
        String company = PlanProbe.idSql("company", "(1 + mod(g, " + COMPANIES + "))") ;
        s.execute("INSERT INTO companies (id, name) SELECT " + PlanProbe.idSql("company", "g") + ", 'Company ' || g FROM generate_series(1, " + COMPANIES + ") g");
        s.execute("INSERT INTO users (id, email, name, password_hash) SELECT " + PlanProbe.idSql("user", "g") + ", 'user' || lpad(g::text, 7, '0') || '@plans.test', "
                + "'User ' || g, CASE WHEN mod(g, 10) = 0 THEN NULL ELSE 'x' END FROM generate_series(1, " + n + ") g");
        s.execute("INSERT INTO user_profiles (user_id, profile) SELECT " + PlanProbe.idSql("user", "g") + ", (ARRAY['owner', 'director', 'manager', "
                + "'agent', 'prospector', 'receptionist', 'financial', 'legal', 'portal'])[1 + mod(g, 9)] FROM generate_series(1, " + n + ") g");
        s.execute("INSERT INTO user_companies (user_id, company_id) SELECT " + PlanProbe.idSql("user", "g") + ", " + company
                + " FROM generate_series(1, " + n + ") g");
        s.execute("INSERT INTO user_invitations (id, user_id, token_hash, expires_at, created_by, accepted_at) SELECT " + PlanProbe.idSql("invitation", "g") + ", "
                + PlanProbe.idSql("user", "g") + ", 'token-' || lpad(g::text, 8, '0'), now() + (mod(g, 100) - 50) * interval '1 day', 'plans', "
                + "CASE WHEN mod(g, 2) = 0 THEN now() END FROM generate_series(1, " + n + ") g");
        s.execute("INSERT INTO password_reset_requests (id, user_id, token_hash, requested_at, expires_at) SELECT " + PlanProbe.idSql("reset", "g") + ", "
                + PlanProbe.idSql("user", "g") + ", 'reset-token-' || lpad(g::text, 8, '0'), now() - g * interval '1 second', now() - g * interval '1 second' "
                + "+ interval '1 hour' FROM generate_series(1, " + n + ") g");
        s.execute("INSERT INTO agents (id, company_id, user_id, name) SELECT " + PlanProbe.idSql("agent", "g") + ", " + company + ", " + PlanProbe.idSql("user", "g") + ", "
                + "'Agent ' || g FROM generate_series(1, " + n + ") g");
        s.execute("INSERT INTO properties (id, company_id, reference_code, title, type, price, agent_id, created_by) SELECT "
                + PlanProbe.idSql("property", "g") + ", " + company + ", 'P-' || g, 'House ' || g, 'house', 500000, " + PlanProbe.idSql("agent", "g") + ", 'plans' "
                + "FROM generate_series(1, " + n + ") g");
        s.execute("INSERT INTO sales (id, company_id, property_id, sale_price, sale_date, buyer_name, agent_id, commission_status, created_by) "
                + "SELECT " + PlanProbe.idSql("sale", "g") + ", " + company + ", " + PlanProbe.idSql("property", "g") + ", 500000, date '2010-01-01' + mod(g, 5000), "
                + "'Buyer', " + PlanProbe.idSql("agent", "g") + ", CASE WHEN mod(g, 100) = 0 THEN 'pending' ELSE 'calculated' END, 'plans' "
                + "FROM generate_series(1, " + n + ") g");
        s.execute("INSERT INTO commission_rules (id, company_id, agent_id, transaction_type, structure, percentage, valid_from, created_by) "
                + "SELECT " + PlanProbe.idSql("rule", "g") + ", " + company + ", " + PlanProbe.idSql("agent", "g") + ", 'sale', 'percentage', 5, date '2000-01-01', 'plans' "
                + "FROM generate_series(1, " + n + ") g");
        s.execute("INSERT INTO commission_transactions (id, company_id, sale_id, agent_id, role, rule_id, rule_snapshot, base_amount, "
                + "commission_total, percentage_applied, amount, calculated_by) SELECT " + PlanProbe.idSql("transaction", "g") + ", " + company + ", "
                + PlanProbe.idSql("sale", "g") + ", " + PlanProbe.idSql("agent", "g") + ", 'agent', " + PlanProbe.idSql("rule", "g") + ", '{}', 500000, 25000, 100, 25000, 'plans' "
                + "FROM generate_series(1, " + n + ") g");
        // Event g is g minutes old; the newest thousand still pending (a relay backlog).
        s.execute("INSERT INTO outbox_events (id, type, version, company_id, aggregate_type, aggregate_id, correlation_id, priority, body, "
                + "status, occurred_at, published_at) SELECT " + PlanProbe.idSql("event", "g") + ", 'user.created', 1, " + company + ", 'user', g::text, "
                + "'request-' || (g / 10), 5, '{}', CASE WHEN g <= 1000 THEN 'PENDING' ELSE 'PUBLISHED' END, now() - g * interval '1 minute', "
                + "CASE WHEN g > 1000 THEN now() - g * interval '1 minute' END FROM generate_series(1, " + n + ") g");
        // One outcome per event, of one of three consumers; a few failing.
        s.execute("INSERT INTO consumer_outcomes (event_id, consumer, status, attempts, updated_at) SELECT " + PlanProbe.idSql("event", "g") + ", "
                + "(ARRAY['audit', 'commission', 'notification'])[1 + mod(g, 3)], CASE mod(g, 1000) WHEN 0 THEN 'DEAD' WHEN 1 THEN 'RETRYING' "
                + "ELSE 'PROCESSED' END, 1, now() - g * interval '1 second' FROM generate_series(1, " + n + ") g");
        // As AuditLogPlansTest had it: one company in twenty per row, 90 days back, a few seconds apart.
        s.execute("INSERT INTO audit_logs (id, company_id, event_id, event_type, actor_user_id, resource_type, resource_id, occurred_at, data) "
                + "SELECT " + PlanProbe.idSql("audit", "g") + ", " + PlanProbe.idSql("company", "(1 + mod(g, " + PlanProbe.AUDIT_COMPANIES + "))") + ", "
                + PlanProbe.idSql("event", "g") + ", "
                + "'user.updated', CAST(mod(g, 5000) AS text), 'user', CAST(mod(g, 5000) AS text), now() - g * interval '7 seconds', "
                + "jsonb_build_object('n', g, 'changes', jsonb_build_object('name', jsonb_build_object('from', 'Ana', 'to', 'Ana Souza'))) "
                + "FROM generate_series(1, " + n + ") g");
        // 50,000 recipients; one mail in a thousand held by the rate limit.
        s.execute("INSERT INTO sent_notifications (event_id, event_type, company_id, recipient_email, recipient_name, locale, template, subject, "
                + "status, created_at, sent_at) SELECT " + PlanProbe.idSql("event", "g") + ", 'user.created', " + company + ", 'r' || mod(g, 50000) || '@plans.test', "
                + "'R', 'pt-BR', 'welcome', 'Welcome', CASE WHEN mod(g, 1000) = 0 THEN 'HELD' ELSE 'SENT' END, now() - g * interval '1 minute', "
                + "CASE WHEN mod(g, 1000) <> 0 THEN now() - g * interval '1 minute' END FROM generate_series(1, " + n + ") g");
        s.execute("INSERT INTO webhook_subscriptions (id, company_id, url, event_types, secret, created_by, created_at) SELECT " + PlanProbe.idSql("webhook", "g") + ", "
                + PlanProbe.idSql("company", "g") + ", 'https://hooks.example.com/' || g, ARRAY['user.created'], 's', 'plans', now() - interval '1 year' "
                + "FROM generate_series(1, " + COMPANIES + ") g");
        s.execute("INSERT INTO webhook_deliveries (event_id, subscription_id, company_id, event_type, status, attempts, first_attempt_at, "
                + "last_attempt_at) SELECT " + PlanProbe.idSql("event", "g") + ", " + PlanProbe.idSql("webhook", "(1 + mod(g, " + COMPANIES + "))") + ", " + company + ", "
                + "'user.created', 'DELIVERED', 1, now() - g * interval '1 minute', now() - g * interval '1 minute' FROM generate_series(1, " + n + ") g");
        // As LoginThrottlePlansTest had it.
        s.execute("INSERT INTO login_throttles (key, window_start, attempts, failures) SELECT "
                + "(CASE WHEN mod(g, 2) = 0 THEN 'account:' ELSE 'source:' END) || lpad(to_hex(g), 32, '0'), "
                + "now() - mod(g, 3600) * interval '1 second', 1 + mod(g, 5), mod(g, 5) FROM generate_series(1, " + n + ") g");
        // 100,000 sources over ten one-minute windows; those over the limit (20) summarised.
        s.execute("INSERT INTO refusal_windows (source, window_start, refusals, summarized_at) SELECT 'source-' || mod(g, 100000), "
                + "date_trunc('minute', now()) - (g / 100000) * interval '1 minute', 1 + mod(g, 30), "
                + "CASE WHEN 1 + mod(g, 30) > 20 THEN now() END FROM generate_series(1, " + n + ") g");
        // Finished bulks, and the hundred newest still open.
        s.execute("INSERT INTO bulk_operations (id, company_id, kind, correlation_id, item_count, outstanding, created_at, finished_at) "
                + "SELECT " + PlanProbe.idSql("bulk", "g") + ", " + company + ", 'sale_bulk', 'request-' || g, 10, CASE WHEN g <= 100 THEN 5 ELSE 0 END, "
                + "now() - g * interval '1 minute', CASE WHEN g > 100 THEN now() - g * interval '1 minute' END FROM generate_series(1, " + n + ") g");
        s.execute("SET session_replication_role = origin");
    }
}
