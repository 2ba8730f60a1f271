package realty.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The raw baselines of targets.md, measured in the same run on the same broker and database:
 * RabbitMQ PerfTest (1 producer, 1 consumer, persistent 1 KB messages, publisher confirms, durable
 * queue) with 200 and with 1 confirm in flight, and pgbench with a one-row insert at 1 and 4 clients.
 */
final class Baselines {
    private static final Pattern RATE = Pattern.compile("(sending|receiving) rate avg: (\\d+) msg/s");
    private static final Pattern LATENCY = Pattern.compile("(consumer|confirm) latency min/median/75th/95th/99th (\\d+)/(\\d+)/(\\d+)/(\\d+)/(\\d+) µs");
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    /** Medians, for the P-figures' ratios. NaN when not measured. */
    double pipelinedReceiveRate = Double.NaN;
    double oneInFlightRate = Double.NaN;
    double oneInFlightConfirmP50Ms = Double.NaN;
    double oneInFlightConsumerP50Ms = Double.NaN;
    double pgbench1 = Double.NaN;
    double pgbench4 = Double.NaN;
    double jdbcSavepointRowsPerSecond = Double.NaN;
    double jdbcBatchedRowsPerSecond = Double.NaN;

    private final Infra infra;
    private final Options options;
    private final Report report;

    Baselines(Infra infra, Options options, Report report) {
        this.infra = infra;
        this.options = options;
        this.report = report;
    }

    record PerfTestResult(double sent, double received, double confirmP50Us, double confirmP99Us, double consumerP50Us) {
    }

    void perfTest() throws Exception {
        String vhost = infra.createVhost("bench-perftest");
        try {
            for (int inFlight : new int[]{200, 1}) {
                List<Double> received = new ArrayList<>();
                List<Double> confirmP50 = new ArrayList<>();
                List<Double> confirmP99 = new ArrayList<>();
                List<Double> consumerP50 = new ArrayList<>();
                for (int rep = 0; rep < options.reps; rep++) {
                    PerfTestResult r = runPerfTest(vhost, inFlight, options.perfTestSeconds, "bench-perftest-" + inFlight);
                    received.add(r.received());
                    confirmP50.add(r.confirmP50Us() / 1000);
                    confirmP99.add(r.confirmP99Us() / 1000);
                    consumerP50.add(r.consumerP50Us() / 1000);
                    report.detail("PerfTest -c " + inFlight + " rep " + (rep + 1) + ": sent " + Stats.num(r.sent())
                            + " msg/s, received " + Stats.num(r.received()) + " msg/s, confirm latency p50 "
                            + Stats.num(r.confirmP50Us() / 1000) + " ms / p99 " + Stats.num(r.confirmP99Us() / 1000)
                            + " ms, consumer latency p50 " + Stats.num(r.consumerP50Us() / 1000) + " ms");
                }
                double rate = Stats.median(received);
                String measured = Stats.num(rate) + " msg/s (reps " + Stats.list(received) + "); confirm p50 "
                        + Stats.ms(Stats.median(confirmP50)) + ", p99 " + Stats.ms(Stats.median(confirmP99));
                if (inFlight == 200) {
                    pipelinedReceiveRate = rate;
                    report.baseline("RabbitMQ PerfTest, 200 confirms in flight (pipelined)", measured, "~9,800 msg/s");
                } else {
                    oneInFlightRate = rate;
                    oneInFlightConfirmP50Ms = Stats.median(confirmP50);
                    oneInFlightConsumerP50Ms = Stats.median(consumerP50);
                    report.baseline("RabbitMQ PerfTest, 1 confirm in flight", measured, "~870 msg/s, p50 0.3 ms");
                }
            }
        } finally {
            infra.deleteVhost(vhost);
        }
    }

    private PerfTestResult runPerfTest(String vhost, int inFlight, int seconds, String queue) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "com.rabbitmq.perf.PerfTest",
                "-h", infra.amqpUri(vhost),
                "-x", "1", "-y", "1",          // 1 producer, 1 consumer
                "-s", "1000",                  // 1 KB messages
                "-f", "persistent",            // persistent messages on a durable queue
                "-c", String.valueOf(inFlight), // publisher confirms, this many unconfirmed in flight
                "-u", queue, "-ad", "false",   // named durable queue, not auto-deleted
                "-z", String.valueOf(seconds),
                "-mf", "compact"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        double sent = Double.NaN;
        double received = Double.NaN;
        double confirmP50 = Double.NaN;
        double confirmP99 = Double.NaN;
        double consumerP50 = Double.NaN;
        StringBuilder all = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                all.append(line).append('\n');
                Matcher m = RATE.matcher(line);
                if (m.find()) {
                    if (m.group(1).equals("sending")) {
                        sent = Double.parseDouble(m.group(2));
                    } else {
                        received = Double.parseDouble(m.group(2));
                    }
                }
                Matcher l = LATENCY.matcher(line);
                if (l.find() && !line.contains("msg/s")) {
                    if (l.group(1).equals("confirm")) {
                        confirmP50 = Double.parseDouble(l.group(3));
                        confirmP99 = Double.parseDouble(l.group(6));
                    } else {
                        consumerP50 = Double.parseDouble(l.group(3));
                    }
                }
            }
        }
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        if (Double.isNaN(received)) {
            throw new IllegalStateException("PerfTest printed no summary:\n" + all);
        }
        return new PerfTestResult(sent, received, confirmP50, confirmP99, consumerP50);
    }

    void pgbench() throws Exception {
        String bin = findPgbench();
        if (bin == null) {
            report.baseline("pgbench, one-row insert", "not measured: no pgbench binary (apt-get install postgresql-15 or postgresql-client-15)",
                    "~1,850 / ~3,300 commits/s");
            return;
        }
        String db = "bench_pgbench";
        String url = infra.createDatabase(db);
        try (var c = infra.sql(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE one_row (id bigserial PRIMARY KEY, payload text NOT NULL, at timestamptz NOT NULL DEFAULT now())");
        }
        jdbcPatterns(url);
        Path script = Files.createTempFile("bench-pgbench", ".sql");
        Files.writeString(script, "INSERT INTO one_row (payload) VALUES ('one row of the pgbench baseline');\n");
        try {
            for (int clients : new int[]{1, 4}) {
                List<Double> tps = new ArrayList<>();
                for (int rep = 0; rep < options.reps; rep++) {
                    tps.add(runPgbench(bin, db, script, clients, options.pgbenchSeconds));
                }
                double median = Stats.median(tps);
                report.detail("pgbench -c " + clients + ": " + Stats.list(tps) + " commits/s");
                if (clients == 1) {
                    pgbench1 = median;
                    report.baseline("pgbench one-row insert, 1 client", Stats.num(median) + " commits/s (reps " + Stats.list(tps) + ")",
                            "~1,850 commits/s");
                } else {
                    pgbench4 = median;
                    report.baseline("pgbench one-row insert, 4 clients", Stats.num(median) + " commits/s (reps " + Stats.list(tps) + ")",
                            "~3,300 commits/s");
                }
            }
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /**
     * The database side of a queue-function batch, without the function: 100-row transactions of
     * audit-like rows written the way the consumer runtime does (a savepoint around each row) and
     * as one multi-row insert. Shows the ceiling each pattern leaves for P3.
     */
    private void jdbcPatterns(String url) throws Exception {
        String jdbc = url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
        try (var c = java.sql.DriverManager.getConnection(jdbc, infra.postgres.username(), infra.postgres.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE audit_like (id uuid PRIMARY KEY, event_id uuid NOT NULL UNIQUE, event_type text NOT NULL, "
                    + "occurred_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), data jsonb NOT NULL)");
            String insert = "INSERT INTO audit_like (id, event_id, event_type, occurred_at, data) VALUES (?, ?, 'user.created', now(), ?::jsonb) "
                    + "ON CONFLICT (event_id) DO NOTHING";
            String data = "{\"userId\":\"6b1f0c2e-2d7a-4f59-9c1e-0a4b8e1d2f3c\",\"email\":\"someone@bench.realty.dev\",\"profiles\":[\"agent\"]}";
            c.setAutoCommit(false);
            int rows = options.quick ? 5_000 : 20_000;
            double roundTrip;
            {
                long t = System.nanoTime();
                for (int i = 0; i < 2_000; i++) {
                    s.execute("SELECT 1");
                }
                c.commit();
                roundTrip = (System.nanoTime() - t) / 1e3 / 2_000;
            }
            double savepoints;
            {
                long t = System.nanoTime();
                for (int i = 0; i < rows; i++) {
                    java.sql.Savepoint sp = c.setSavepoint();
                    try (var ps = c.prepareStatement(insert)) {
                        ps.setObject(1, java.util.UUID.randomUUID());
                        ps.setObject(2, java.util.UUID.randomUUID());
                        ps.setString(3, data);
                        ps.executeUpdate();
                    }
                    c.releaseSavepoint(sp);
                    if ((i + 1) % 100 == 0) {
                        c.commit();
                    }
                }
                c.commit();
                savepoints = rows / ((System.nanoTime() - t) / 1e9);
            }
            double batched;
            {
                long t = System.nanoTime();
                try (var ps = c.prepareStatement(insert)) {
                    for (int i = 0; i < rows; i++) {
                        ps.setObject(1, java.util.UUID.randomUUID());
                        ps.setObject(2, java.util.UUID.randomUUID());
                        ps.setString(3, data);
                        ps.addBatch();
                        if ((i + 1) % 100 == 0) {
                            ps.executeBatch();
                            c.commit();
                        }
                    }
                }
                c.commit();
                batched = rows / ((System.nanoTime() - t) / 1e9);
            }
            jdbcSavepointRowsPerSecond = savepoints;
            jdbcBatchedRowsPerSecond = batched;
            report.baseline("JDBC round trip (SELECT 1) from the benchmark JVM", Stats.num(roundTrip) + " µs", "–");
            report.baseline("JDBC, 100-row transactions, savepoint + insert + release per row (the consumer runtime's pattern)",
                    Stats.num(savepoints) + " rows/s", "–");
            report.baseline("JDBC, 100-row transactions, one batched multi-row insert", Stats.num(batched) + " rows/s", "–");
        }
    }

    private double runPgbench(String bin, String db, Path script, int clients, int seconds) throws Exception {
        String[] hp = infra.hostPort();
        ProcessBuilder pb = new ProcessBuilder(bin, "-n", "-M", "prepared", "-f", script.toString(),
                "-c", String.valueOf(clients), "-j", String.valueOf(clients), "-T", String.valueOf(seconds),
                "-h", hp[0], "-p", hp[1], "-U", infra.postgres.username(), db).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PGPASSWORD", infra.postgres.password());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(seconds + 60L, TimeUnit.SECONDS);
        Matcher m = TPS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("pgbench printed no tps:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    static String findPgbench() {
        String given = System.getenv("PGBENCH");
        if (given != null && Files.isExecutable(Path.of(given))) {
            return given;
        }
        for (String candidate : new String[]{"/usr/lib/postgresql/15/bin/pgbench", "/usr/lib/postgresql/16/bin/pgbench",
                "/usr/lib/postgresql/17/bin/pgbench", "/usr/bin/pgbench", "/usr/local/bin/pgbench"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
