package realty.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.Connection;
import realty.core.event.EventCodec;
import realty.core.topology.Topology;
import realty.local.LocalSystem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * P3: a backlog of {@code user.created} envelopes waits in {@code audit_events} with no consumer;
 * then a local event source (the stand-in for Lambda's event source mapping) feeds the production
 * audit-function handler, and the drain is timed until the handler has returned from every message
 * (counted in this JVM, so the check puts no load on the database); the audit rows are then
 * confirmed once.
 */
final class DrainBench {
    private final Infra infra;
    private final Options options;
    private final Report report;
    private final Baselines base;

    DrainBench(Infra infra, Options options, Report report, Baselines base) {
        this.infra = infra;
        this.options = options;
        this.report = report;
        this.base = base;
    }

    void run() throws Exception {
        String url = infra.createDatabase("bench_p3");
        String vhost = infra.createVhost("bench-p3");
        Map<Integer, List<Double>> rates = new LinkedHashMap<>();
        try (LocalSystem system = infra.startSystem(url, vhost, infra.rabbit.port(), false, 100, Duration.ofMillis(20), Map.of());
             Connection amqp = infra.amqpConnection(vhost, "bench-p3-publisher")) {
            EventCodec codec = system.apiContext().getBean(EventCodec.class);
            RequestHandler<RabbitMQEvent, ?> audit = system.queueFunction(Topology.AUDIT);
            UUID company = UUID.randomUUID();
            // warm the handler's code paths a little so the first batch size is not penalised by JIT
            drainOnce(url, vhost, amqp, codec, audit, company, 100, Math.min(5_000, options.backlog), "warm");
            for (int batch : options.batchSizes) {
                for (int rep = 1; rep <= options.drainReps; rep++) {
                    double rate = drainOnce(url, vhost, amqp, codec, audit, company, batch, options.backlog, "b" + batch + "r" + rep);
                    rates.computeIfAbsent(batch, k -> new ArrayList<>()).add(rate);
                }
            }
        } finally {
            infra.deleteVhost(vhost);
        }
        double best = Double.NaN;
        int bestBatch = 0;
        StringBuilder perBatch = new StringBuilder();
        for (var e : rates.entrySet()) {
            double m = Stats.median(e.getValue());
            perBatch.append(perBatch.length() == 0 ? "" : ", ").append("batch ").append(e.getKey()).append(": ")
                    .append(Stats.num(m)).append("/s");
            if (Double.isNaN(best) || m > best) {
                best = m;
                bestBatch = e.getKey();
            }
        }
        double atProd = rates.containsKey(100) ? Stats.median(rates.get(100)) : best;
        double ratio = atProd / base.pipelinedReceiveRate * 100;
        report.row("P3", "audit-function draining " + String.format("%,d", options.backlog) + " events (batch 100, as deployed)",
                Stats.num(atProd) + " events/s", "≥ 3,000/s and ≥ 30 % of PerfTest",
                Report.worst(Report.atLeast(atProd, 3000), Double.isNaN(ratio) ? Report.Verdict.INFO : Report.atLeast(ratio, 30)),
                Stats.num(ratio) + " % of PerfTest pipelined (" + Stats.num(base.pipelinedReceiveRate) + " msg/s)", perBatch.toString());
        if (bestBatch != 100 && !Double.isNaN(best)) {
            double bestRatio = best / base.pipelinedReceiveRate * 100;
            report.row("P3", "same, best batch size (" + bestBatch + ")", Stats.num(best) + " events/s",
                    "≥ 3,000/s and ≥ 30 % of PerfTest",
                    Report.worst(Report.atLeast(best, 3000), Double.isNaN(bestRatio) ? Report.Verdict.INFO : Report.atLeast(bestRatio, 30)),
                    Stats.num(bestRatio) + " % of PerfTest pipelined", "");
        }
    }


    private double drainOnce(String url, String vhost, Connection amqp, EventCodec codec, RequestHandler<RabbitMQEvent, ?> audit,
                             UUID company, int batchSize, int n, String tag) throws Exception {
        long before = infra.count(url, "SELECT count(*) FROM audit_logs");
        String correlation = "p3" + tag;
        double publishSeconds = Drain.publish(amqp, codec, "audit_events", n, correlation,
                i -> Envelopes.userCreated(company, correlation, i));
        // Done when the handler has returned from batches holding n messages (counted in this JVM);
        // the database is asked once, afterwards, that every one of them left its audit row.
        Drain.Result r = Drain.run(infra, vhost, "audit_events", audit, "audit-function", batchSize, n, 600_000);
        long written = infra.count(url, "SELECT count(*) FROM audit_logs") - before;
        if (written < n) {
            throw new IllegalStateException("drain " + tag + ": the handler returned from " + r.handled() + " messages but only "
                    + written + " of " + n + " audit rows exist");
        }
        if (!tag.equals("warm")) {
            report.detail("P3 batch " + batchSize + " (" + tag + "): " + r.describe() + " (backlog published in "
                    + Stats.num(publishSeconds) + " s = " + Stats.num(n / publishSeconds) + " msg/s with confirms)");
        }
        return r.rate();
    }
}
