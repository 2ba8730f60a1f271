package realty.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.Connection;
import io.micronaut.json.JsonMapper;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventCodec;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.CommissionSplitRequested;
import realty.core.topology.Topology;
import realty.local.LocalSystem;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * P3S (issue 16): the drain rate of each queue function (audit, commission, notification) and the
 * API's latency on the invitation path with 10k, 100k and 1M rows already present in the tables
 * they read and write, side by side, to show whether a plan degrades as the tables grow.
 *
 * <p>The rows are filled with {@code INSERT … SELECT generate_series} (not through the API), grown
 * from one size to the next in the same database, and never analysed by the benchmark: one run
 * with autovacuum as the embedded PostgreSQL has it (whether it had analysed a table before a drain
 * is reported), and one on a database whose tables autovacuum never touches.
 */
final class ScaleBench {
    private static final String[] FUNCTIONS = {Topology.AUDIT, Topology.COMMISSION, Topology.NOTIFICATION};
    /** Filler companies; the first is the one the drains and the API write for. */
    private static final int COMPANIES = 50;
    private static final int CHUNK = 250_000;
    private static final int BATCH = 100; // as deployed

    private final Infra infra;
    private final Options options;
    private final Report report;
    private final Baselines base;

    /** variant → function ("api-p50"/"api-p99" for the API) → size → figure */
    private final Map<String, Map<String, Map<Integer, Double>>> figures = new LinkedHashMap<>();
    private String vhost;
    private String databaseUrl;

    ScaleBench(Infra infra, Options options, Report report, Baselines base) {
        this.infra = infra;
        this.options = options;
        this.report = report;
        this.base = base;
    }

    static final String AUTOVACUUM = "autovacuum as the embedded PostgreSQL has it";
    static final String NEVER = "tables never analysed";

    void run() throws Exception {
        report.detail("P3S: events per drain: audit " + String.format("%,d", options.scaleEvents) + ", commission "
                + String.format("%,d", options.scaleCommissionEvents) + " (one sale each), notification "
                + String.format("%,d", options.scaleMailEvents) + " (one SMTP mail each); batch " + BATCH
                + "; rows present before the drains: " + sizes() + " in outbox_events, audit_logs, sales, commission_transactions,"
                + " sent_notifications, and that many per consumer in consumer_outcomes (3× in the table)");
        // a variant that fails keeps what it measured so far; the side-by-side table is printed anyway
        if (options.scaleAutovacuum) {
            try {
                variant(AUTOVACUUM, "bench_p3s", false);
            } catch (Exception e) {
                e.printStackTrace();
                report.detail("P3S " + AUTOVACUUM + ": stopped by " + e);
            }
        }
        if (options.scaleNeverAnalysed) {
            try {
                variant(NEVER, "bench_p3s_never", true);
            } catch (Exception e) {
                e.printStackTrace();
                report.detail("P3S " + NEVER + ": stopped by " + e);
            }
        }
        summarise();
    }

    /** The functions of --scale-functions, in the order of {@link #FUNCTIONS}. */
    private List<String> functions() {
        return java.util.Arrays.stream(FUNCTIONS).filter(options.scaleFunctions::contains).toList();
    }

    /** The API at scale runs beside all three queue functions only (it emits events for each of them). */
    private boolean api() {
        return functions().size() == FUNCTIONS.length;
    }

    private String sizes() {
        return String.join(" / ", options.scaleSizes.stream().map(ScaleBench::label).toList());
    }

    static String label(int n) {
        if (n >= 1_000_000 && n % 100_000 == 0) {
            return Stats.num(n / 1e6).replaceAll("\\.0+$", "") + "M";
        }
        if (n >= 1_000 && n % 1_000 == 0) {
            return (n / 1_000) + "k";
        }
        return String.format("%,d", n);
    }

    private void variant(String variant, String database, boolean neverAnalysed) throws Exception {
        String url = infra.createDatabase(database);
        databaseUrl = url;
        vhost = infra.createVhost("bench-p3s");
        Map<String, Map<Integer, Double>> out = new LinkedHashMap<>();
        figures.put(variant, out);
        try (LocalSystem system = infra.startSystem(url, vhost, infra.rabbit.port(), false, BATCH, Duration.ofMillis(20),
                Map.of("realty.security.bcrypt-cost", options.lowCost,
                        // housekeeping prunes the outbox and the ledgers: it must not shrink the tables mid-run
                        "realty.local.housekeeping-interval", "24h"));
             Connection amqp = infra.amqpConnection(vhost, "bench-p3s-publisher");
             java.sql.Connection sql = infra.sql(url)) {
            EventCodec codec = system.apiContext().getBean(EventCodec.class);
            Topology topology = system.apiContext().getBean(Topology.class);
            prepare(sql, neverAnalysed);
            UUID company;
            UUID agent;
            try (Statement s = sql.createStatement(); ResultSet rs = s.executeQuery("SELECT company, agent FROM bench_fill_refs WHERE k = 0")) {
                rs.next();
                company = rs.getObject(1, UUID.class);
                agent = rs.getObject(2, UUID.class);
            }
            Api api = new Api(system.api(), system.apiContext().getBean(JsonMapper.class));
            String[] tenant = api.tenant("Bench P3S");
            ApiLoadBench load = new ApiLoadBench(infra, options, report, base);
            String tagBase = neverAnalysed ? "n" : "a";

            // JIT warm-up of every path before the first size, so the smallest size is not penalised: a drain as long as
            // a measured one. With a quarter of one (at most 1,000 events) the first size's audit drain ran at 216 µs per
            // event and the next, same code and nearly the same tables, at 167 (docs/benchmarks.md, "warm-up").
            for (String f : functions()) {
                drain(system, amqp, codec, topology, sql, f, company, agent, events(f), tagBase + "warm", null, 0);
            }
            if (api()) {
                system.startEventSources();
                load.load(api, tenant, options.rate, Math.min(3, options.p1WarmupSeconds), "p3s" + tagBase + "w", true);
                system.stopEventSources();
            }

            int filled = 0;
            for (int size : options.scaleSizes) {
                long t0 = System.nanoTime();
                fill(sql, filled, size);
                filled = Math.max(filled, size);
                report.detail("P3S " + variant + ", " + label(size) + ": filled to " + String.format("%,d", size) + " rows in "
                        + Stats.num((System.nanoTime() - t0) / 1e9) + " s; " + statistics(sql));
                for (String f : functions()) {
                    double rate = drain(system, amqp, codec, topology, sql, f, company, agent, events(f),
                            tagBase + label(size), variant, size);
                    out.computeIfAbsent(f, k -> new LinkedHashMap<>()).put(size, rate);
                }
                for (String f : FUNCTIONS) {
                    Drain.purge(amqp, topology.queueOfFunction(f).name());
                }
                if (!api()) {
                    continue;
                }
                system.startEventSources();
                ApiLoadBench.LoadResult r = load.load(api, tenant, options.rate, options.p1Seconds,
                        "p3s" + tagBase + label(size).toLowerCase(Locale.ROOT), true);
                system.stopEventSources();
                out.computeIfAbsent("api-p50", k -> new LinkedHashMap<>()).put(size, r.p(50));
                out.computeIfAbsent("api-p99", k -> new LinkedHashMap<>()).put(size, r.p(99));
                report.detail("P3S " + variant + ", " + label(size) + ": API invitation path, " + Stats.num(options.rate) + " req/s for "
                        + options.p1Seconds + " s, queue functions running: " + r.ok() + " created, statuses " + r.statuses()
                        + ", achieved " + Stats.num(r.achievedRate()) + " req/s, p50 " + Stats.ms(r.p(50)) + ", p99 " + Stats.ms(r.p(99))
                        + (r.firstError() == null ? "" : "; first error: " + r.firstError()));
            }
        } finally {
            infra.deleteVhost(vhost);
            infra.dropDatabase(database); // up to ~2 GB per variant; not kept for the rest of the run
        }
    }

    private int events(String function) {
        // each drain lasts seconds on a quiet machine: a split writes ~10 statements, a mail is an SMTP exchange
        return switch (function) {
            case Topology.COMMISSION -> options.scaleCommissionEvents;
            case Topology.NOTIFICATION -> options.scaleMailEvents;
            default -> options.scaleEvents;
        };
    }

    /**
     * The reference rows every fill points at: filler companies, each with an agent and a 6 % sale
     * rule (the commission function splits with it), in a bench-only table; and for the
     * never-analysed variant, autovacuum switched off on every table before any row is written.
     */
    private void prepare(java.sql.Connection sql, boolean neverAnalysed) throws Exception {
        try (Statement s = sql.createStatement()) {
            // audit_logs is partitioned by month: the filled rows reach back about 25 days
            s.execute("SELECT audit_logs_ensure_partition(m::date) FROM generate_series(date_trunc('month', now() - interval '40 days'),"
                    + " date_trunc('month', now()), interval '1 month') m");
            s.execute("CREATE TABLE bench_fill_refs (k int PRIMARY KEY, company uuid NOT NULL, agent uuid NOT NULL, rule uuid NOT NULL)");
            s.execute("INSERT INTO companies (id, name) SELECT md5('company:' || g)::uuid, 'Bench filler ' || g FROM generate_series(0, "
                    + (COMPANIES - 1) + ") g");
            s.execute("INSERT INTO agents (id, company_id, name, creci) SELECT md5('agent:' || g)::uuid, md5('company:' || g)::uuid,"
                    + " 'Filler agent ' || g, '12345-F' FROM generate_series(0, " + (COMPANIES - 1) + ") g");
            s.execute("INSERT INTO commission_rules (id, company_id, agent_id, transaction_type, structure, percentage, valid_from, created_by)"
                    + " SELECT md5('rule:' || g)::uuid, md5('company:' || g)::uuid, md5('agent:' || g)::uuid, 'sale', 'percentage', 6,"
                    + " current_date - 365, 'bench' FROM generate_series(0, " + (COMPANIES - 1) + ") g");
            s.execute("INSERT INTO bench_fill_refs SELECT g, md5('company:' || g)::uuid, md5('agent:' || g)::uuid, md5('rule:' || g)::uuid"
                    + " FROM generate_series(0, " + (COMPANIES - 1) + ") g");
            if (neverAnalysed) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname = 'public' AND c.relkind = 'r'")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                for (String t : tables) {
                    s.execute("ALTER TABLE " + t + " SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)");
                }
            }
        }
    }

    /**
     * Grows every table from {@code from} to {@code to} filler rows: events of the outbox (published),
     * their audit rows, an outcome per consumer, completed sales with their commission transaction,
     * and mail-ledger rows. Row i gets deterministic ids (md5 of i), so the tables refer to each other.
     * Sales point at properties that do not exist: the fill runs with foreign-key triggers off
     * ({@code session_replication_role = replica}); no function under test reads those properties.
     */
    private void fill(java.sql.Connection sql, int from, int to) throws Exception {
        int span = Math.max(to, options.scaleSizes.stream().mapToInt(Integer::intValue).max().orElse(to));
        // row i of span: from about 25 days ago (i = 1) to an hour ago (i = span), in order
        String t = "(now() - interval '1 hour' - (" + span + " - g) * (interval '25 days' / " + span + "))";
        String refs = " JOIN bench_fill_refs r ON r.k = g % " + COMPANIES;
        String type = "(ARRAY['property.created','property.updated','user.created','sale.completed','commission.calculated'])[1 + g % 5]";
        try (Statement s = sql.createStatement()) {
            s.execute("SET session_replication_role = replica");
            for (int a = from + 1; a <= to; a += CHUNK) {
                String g = " FROM generate_series(" + a + ", " + Math.min(to, a + CHUNK - 1) + ") g";
                s.execute("INSERT INTO outbox_events (id, type, version, company_id, aggregate_type, aggregate_id, correlation_id, priority,"
                        + " body, status, occurred_at, published_at, publish_attempts)"
                        + " SELECT e.id, e.type, 1, r.company, split_part(e.type, '.', 1), e.agg, 'fill-' || (g / 100), 5,"
                        + " json_build_object('id', e.id, 'type', e.type, 'version', 1, 'occurredAt', e.t, 'companyId', r.company,"
                        + "  'actor', json_build_object('userId', md5('user:' || (g % 500))::uuid, 'profiles', json_build_array('owner')),"
                        + "  'correlationId', 'fill-' || (g / 100), 'aggregate', json_build_object('type', split_part(e.type, '.', 1), 'id', e.agg),"
                        + "  'payload', json_build_object('title', 'Filler row ' || g, 'price', 350000 + g % 1000)),"
                        + " 'PUBLISHED', e.t, e.t + interval '15 ms', 1" + g + refs
                        + " CROSS JOIN LATERAL (SELECT md5('fill:' || g)::uuid AS id, " + type + " AS type, md5('agg:' || g)::uuid::text AS agg,"
                        + " " + t + " AS t) e");
                s.execute("INSERT INTO consumer_outcomes (event_id, consumer, status, attempts, first_attempt_at, processed_at, duration_micros,"
                        + " updated_at) SELECT md5('fill:' || g)::uuid, c.consumer, 'PROCESSED', 1, " + t + ", " + t + " + interval '30 ms', 900, "
                        + t + " + interval '30 ms'" + g + " CROSS JOIN (VALUES ('audit'), ('commission'), ('notification')) c(consumer)");
                s.execute("INSERT INTO audit_logs (id, company_id, event_id, event_type, actor_user_id, actor_profiles, resource_type, resource_id,"
                        + " occurred_at, recorded_at, request_id, source_ip, user_agent, data)"
                        + " SELECT md5('audit:' || g)::uuid, r.company, md5('fill:' || g)::uuid, " + type + ", md5('user:' || (g % 500))::uuid::text,"
                        + " '{owner}', split_part(" + type + ", '.', 1), md5('agg:' || g)::uuid::text, " + t + ", " + t + " + interval '40 ms',"
                        + " 'fill-' || (g / 100), '127.0.0.1', 'realty-bench', jsonb_build_object('title', 'Filler row ' || g, 'price', 350000 + g % 1000)"
                        + g + refs);
                s.execute("INSERT INTO sales (id, company_id, property_id, sale_price, sale_date, buyer_name, agent_id, status, commission_status,"
                        + " created_by, created_at) SELECT md5('sale:' || g)::uuid, r.company, md5('property:' || g)::uuid, 350000 + g % 1000,"
                        + " (" + t + ")::date, 'Filler buyer', r.agent, 'completed', 'calculated', 'bench', " + t + g + refs);
                s.execute("INSERT INTO commission_transactions (id, company_id, sale_id, agent_id, role, rule_id, rule_snapshot, base_amount,"
                        + " commission_total, percentage_applied, amount, calculated_at, calculated_by)"
                        + " SELECT md5('ct:' || g)::uuid, r.company, md5('sale:' || g)::uuid, r.agent, 'agent', r.rule,"
                        + " '{\"structure\":\"percentage\",\"percentage\":6}', 350000 + g % 1000, (350000 + g % 1000) * 0.06, 100,"
                        + " (350000 + g % 1000) * 0.06, " + t + ", 'event:' || md5('fill:' || g)::uuid" + g + refs);
                s.execute("INSERT INTO sent_notifications (event_id, event_type, company_id, recipient_user_id, recipient_email, recipient_name,"
                        + " locale, template, subject, status, created_at, sent_at)"
                        + " SELECT md5('fill:' || g)::uuid, " + type + ", r.company, md5('user:' || (g % 50000))::uuid,"
                        + " 'filler-' || (g % 50000) || '@bench.realty.dev', 'Filler user', 'pt-BR', 'welcome', 'Bem-vindo', 'SENT', "
                        + t + ", " + t + g + refs);
            }
            s.execute("SET session_replication_role = origin");
        }
    }

    /** Which of the big tables autovacuum had analysed so far (pg_stat_user_tables), read once before the drains. */
    private static String statistics(java.sql.Connection sql) throws Exception {
        StringBuilder out = new StringBuilder("analysed by autovacuum so far:");
        try (Statement s = sql.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT relname, autoanalyze_count + analyze_count, n_live_tup FROM pg_stat_user_tables"
                        + " WHERE relname IN ('consumer_outcomes', 'outbox_events', 'sales', 'commission_transactions', 'sent_notifications')"
                        + " OR (relname LIKE 'audit_logs_p%' AND n_live_tup > 0) ORDER BY relname")) {
            while (rs.next()) {
                out.append(' ').append(rs.getString(1)).append(' ').append(rs.getLong(2) > 0 ? "yes" : "no")
                        .append(" (" + rs.getLong(2) + "×, ~").append(label1(rs.getLong(3))).append(" rows);");
            }
        }
        return out.toString();
    }

    private static String label1(long n) {
        return n >= 1_000_000 ? Stats.num(n / 1e6) + "M" : n >= 1_000 ? Stats.num(n / 1e3) + "k" : String.valueOf(n);
    }

    /**
     * One drain of {@code n} events through one function's production handler, from a queue emptied
     * first (a commission split emits events into the others' queues); confirmed once in the
     * database afterwards. Returns events/s.
     */
    private double drain(LocalSystem system, Connection amqp, EventCodec codec, Topology topology, java.sql.Connection sql,
                         String function, UUID company, UUID agent, int n, String tag, String variant, int size) throws Exception {
        String queue = topology.queueOfFunction(function).name();
        Drain.purge(amqp, queue);
        String correlation = "p3s-" + function + "-" + tag;
        Actor actor = new Actor("bench", List.of("owner"), null, "127.0.0.1", "realty-bench");
        List<UUID> ids = new ArrayList<>(n);
        double publishSeconds;
        List<UUID> saleIds = new ArrayList<>(n);
        switch (function) {
            case Topology.COMMISSION -> {
                // completed sales of the bench company still pending their split, one per split request
                try (Statement s = sql.createStatement()) {
                    s.execute("SET session_replication_role = replica"); // properties not created (not read by the function)
                    try (ResultSet rs = s.executeQuery("INSERT INTO sales (id, company_id, property_id, sale_price, sale_date, buyer_name,"
                            + " agent_id, status, commission_status, created_by) SELECT gen_random_uuid(), '" + company + "', gen_random_uuid(),"
                            + " 500000, current_date, 'Bench buyer', '" + agent + "', 'completed', 'pending', 'bench'"
                            + " FROM generate_series(1, " + n + ") RETURNING id")) {
                        while (rs.next()) {
                            saleIds.add(rs.getObject(1, UUID.class));
                        }
                    }
                    s.execute("SET session_replication_role = origin");
                }
                publishSeconds = Drain.publish(amqp, codec, queue, n, correlation, i -> {
                    EventEnvelope e = EventEnvelope.create(EventType.COMMISSION_SPLIT_REQUESTED, company, actor, correlation, null,
                            new AggregateRef("sale_bulk", correlation), new CommissionSplitRequested(1, List.of(saleIds.get(i))));
                    ids.add(e.id());
                    return e;
                });
            }
            default -> publishSeconds = Drain.publish(amqp, codec, queue, n, correlation, i -> {
                EventEnvelope e = Envelopes.userCreated(company, correlation, i);
                ids.add(e.id());
                return e;
            });
        }
        RequestHandler<RabbitMQEvent, ?> handler = system.queueFunction(function);
        Drain.Result r;
        String autovacuum;
        try (AutovacuumWatch watch = new AutovacuumWatch(infra, databaseUrl)) {
            r = Drain.run(infra, vhost, queue, handler, function + "-function", BATCH, n, 600_000);
            autovacuum = watch.describe();
        }
        String confirmed = confirm(sql, function, ids, saleIds, n);
        if (variant != null) {
            report.detail("P3S " + variant + ", " + label(size) + ", " + function + "-function: " + r.describe() + "; " + confirmed
                    + " (published in " + Stats.num(publishSeconds) + " s); during the drain " + autovacuum);
        }
        return r.rate();
    }

    /** The one database check after a drain: every event PROCESSED, and the rows the function writes. */
    private static String confirm(java.sql.Connection sql, String function, List<UUID> ids, List<UUID> saleIds, int n) throws Exception {
        Array events = sql.createArrayOf("uuid", ids.toArray());
        long processed = count(sql, "SELECT count(*) FROM consumer_outcomes WHERE consumer = ? AND event_id = ANY(?) AND status = 'PROCESSED'",
                function, events);
        String what;
        long written;
        switch (function) {
            case Topology.AUDIT -> {
                what = "audit rows";
                written = count(sql, "SELECT count(*) FROM audit_logs WHERE event_id = ANY(?)", events);
            }
            case Topology.COMMISSION -> {
                what = "commission transactions";
                written = count(sql, "SELECT count(*) FROM commission_transactions WHERE sale_id = ANY(?)",
                        sql.createArrayOf("uuid", saleIds.toArray()));
            }
            default -> {
                what = "mails sent (ledger)";
                written = count(sql, "SELECT count(*) FROM sent_notifications WHERE event_id = ANY(?) AND status = 'SENT'", events);
            }
        }
        if (processed < n || written < n) {
            throw new IllegalStateException(function + ": " + processed + " of " + n + " events PROCESSED, " + written + " " + what);
        }
        return "confirmed once afterwards: " + processed + " PROCESSED, " + written + " " + what;
    }

    private static long count(java.sql.Connection sql, String query, Object... args) throws Exception {
        try (PreparedStatement ps = sql.prepareStatement(query)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** One row per function and variant in the targets, and the side-by-side table of every size. */
    private void summarise() {
        List<Integer> sizes = options.scaleSizes;
        int small = sizes.get(0);
        int large = sizes.get(sizes.size() - 1);
        String ratioName = label(large) + " / " + label(small);
        List<String> header = new ArrayList<>(List.of("Queue function / API"));
        if (figures.containsKey(AUTOVACUUM)) {
            sizes.forEach(n -> header.add(label(n)));
            header.addAll(List.of(ratioName, "Target", "Verdict"));
        }
        boolean never = figures.containsKey(NEVER);
        if (never) {
            header.add("never analysed: " + sizes());
            header.add(ratioName);
            header.add("Verdict");
        }
        List<List<String>> rows = new ArrayList<>();
        for (String f : functions()) {
            List<String> row = new ArrayList<>(List.of(f + "-function, events/s (" + String.format("%,d", events(f)) + " events)"));
            for (String variant : figures.keySet()) {
                Map<Integer, Double> r = figures.get(variant).getOrDefault(f, Map.of());
                double ratio = r.getOrDefault(large, Double.NaN) / r.getOrDefault(small, Double.NaN);
                double atLarge = r.getOrDefault(large, Double.NaN);
                double ofPerfTest = atLarge / base.pipelinedReceiveRate * 100;
                Report.Verdict v = Report.atLeast(ratio, 0.85);
                String target = ratioName + " ≥ 0.85 (within 15 %)";
                if (f.equals(Topology.AUDIT)) {
                    target += "; ≥ 5,000/s and ≥ 35 % of PerfTest";
                    v = Report.worst(v, Report.worst(Report.atLeast(atLarge, 5000),
                            Double.isNaN(ofPerfTest) ? Report.Verdict.INFO : Report.atLeast(ofPerfTest, 35)));
                }
                String measured = String.join(" / ", sizes.stream().map(n -> Stats.num(r.getOrDefault(n, Double.NaN))).toList())
                        + " events/s";
                report.row("P3S", f + "-function drain of " + String.format("%,d", events(f)) + " events (batch " + BATCH + ") with "
                                + sizes() + " rows present; " + variant, measured, target, v,
                        "PerfTest pipelined " + Stats.num(base.pipelinedReceiveRate) + " msg/s: " + label(large) + " is "
                                + Stats.num(ofPerfTest) + " %", ratioName + " = " + Stats.num(ratio));
                if (variant.equals(AUTOVACUUM)) {
                    sizes.forEach(n -> row.add(Stats.num(r.getOrDefault(n, Double.NaN))));
                    row.addAll(List.of(Stats.num(ratio), target, v.text));
                } else {
                    row.add(String.join(" / ", sizes.stream().map(n -> Stats.num(r.getOrDefault(n, Double.NaN))).toList()));
                    row.add(Stats.num(ratio));
                    row.add(v.text);
                }
            }
            rows.add(row);
        }
        for (String p : api() ? List.of("api-p50", "api-p99") : List.<String>of()) {
            boolean p50 = p.equals("api-p50");
            List<String> row = new ArrayList<>(List.of("API invitation path, " + Stats.num(options.rate) + " req/s for "
                    + options.p1Seconds + " s, " + (p50 ? "p50" : "p99") + " ms"));
            for (String variant : figures.keySet()) {
                Map<Integer, Double> r = figures.get(variant).getOrDefault(p, Map.of());
                double worst = r.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                Report.Verdict v = Report.atMost(worst, p50 ? 5 : 25);
                double ratio = r.getOrDefault(large, Double.NaN) / r.getOrDefault(small, Double.NaN);
                if (variant.equals(AUTOVACUUM)) {
                    sizes.forEach(n -> row.add(Stats.num(r.getOrDefault(n, Double.NaN))));
                    row.addAll(List.of(Stats.num(ratio), p50 ? "≤ 5 ms at every size" : "≤ 25 ms at every size", v.text));
                } else {
                    row.add(String.join(" / ", sizes.stream().map(n -> Stats.num(r.getOrDefault(n, Double.NaN))).toList()));
                    row.add(Stats.num(ratio));
                    row.add(v.text);
                }
            }
            rows.add(row);
        }
        for (String variant : api() ? figures.keySet() : java.util.Set.<String>of()) {
            Map<Integer, Double> p50 = figures.get(variant).getOrDefault("api-p50", Map.of());
            Map<Integer, Double> p99 = figures.get(variant).getOrDefault("api-p99", Map.of());
            double w50 = p50.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            double w99 = p99.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            report.row("P3S", "API invitation path, " + Stats.num(options.rate) + " req/s, queue functions running, with " + sizes()
                            + " rows present; " + variant,
                    String.join(" / ", sizes.stream().map(n -> "p50 " + Stats.ms(p50.getOrDefault(n, Double.NaN)) + ", p99 "
                            + Stats.ms(p99.getOrDefault(n, Double.NaN))).toList()),
                    "p50 ≤ 5 ms, p99 ≤ 25 ms at every size", Report.worst(Report.atMost(w50, 5), Report.atMost(w99, 25)), "",
                    "worst size: p50 " + Stats.ms(w50) + ", p99 " + Stats.ms(w99));
        }
        report.table(new Report.Table("P3S: drain rate and API latency by rows already present (side by side)", header, rows,
                "Rows present before each size's drains (filled with INSERT … SELECT generate_series, grown from one size to the next;"
                        + " each drain adds its own events on top). Baseline: RabbitMQ PerfTest pipelined "
                        + Stats.num(base.pipelinedReceiveRate) + " msg/s in the same run. Left: autovacuum as the embedded PostgreSQL"
                        + " has it (what it had analysed before each size is in the details); right: a database with autovacuum off on"
                        + " every table, so nothing is ever analysed. Commission: one sale per split request. Notification: a"
                        + " user.created per event, one mail each to the embedded SMTP server."));
    }
}
