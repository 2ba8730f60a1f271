package realty.bench;

import realty.core.broker.BrokerConnection;
import realty.core.event.EventEnvelope;
import realty.api.outbox.EventfulTransaction;
import realty.local.LocalSystem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P6: the system's broker (reached through a {@link TcpProxy}) goes away; writes go on through the
 * production {@link EventfulTransaction} (business transaction + outbox, then a publish attempt
 * that fails fast), leaving their events {@code PENDING}; the broker comes back and the relay as
 * deployed drains the outbox: the local system invokes {@code OutboxRelayFunction} once a minute as
 * EventBridge Scheduler does, each invocation polling every second for 55 s. The benchmark only
 * watches. Timed from "broker back" to "every event published", and to "every event audited".
 */
final class OutboxRecoveryBench {
    private static final int WRITE_CHUNK = 500;

    private final Infra infra;
    private final Options options;
    private final Report report;
    private final Baselines base;

    OutboxRecoveryBench(Infra infra, Options options, Report report, Baselines base) {
        this.infra = infra;
        this.options = options;
        this.report = report;
        this.base = base;
    }

    void run() throws Exception {
        String url = infra.createDatabase("bench_p6");
        String vhost = infra.createVhost("bench-p6");
        List<Double> published = new ArrayList<>();
        List<Double> audited = new ArrayList<>();
        List<Double> relayRates = new ArrayList<>();
        List<Double> phases = new ArrayList<>();
        try (TcpProxy proxy = new TcpProxy(infra.rabbit.host(), infra.rabbit.port())) {
            proxy.up();
            try (LocalSystem system = infra.startSystem(url, vhost, proxy.port(), false, 100, Duration.ofMillis(20), Map.of())) {
                long systemStart = System.nanoTime(); // the relay's first invocation; the next ones every 60 s
                EventfulTransaction writes = system.apiContext().getBean(EventfulTransaction.class);
                UUID company = UUID.randomUUID();
                for (int rep = 1; rep <= options.reps; rep++) {
                    system.stopEventSources();
                    proxy.down();
                    Thread.sleep(300);
                    long auditBefore = infra.count(url, "SELECT count(*) FROM audit_logs");
                    long writeStart = System.nanoTime();
                    int stillPendingAfterWrite = 0;
                    for (int done = 0; done < options.pending; done += WRITE_CHUNK) {
                        List<EventEnvelope> events = new ArrayList<>();
                        for (int i = done; i < Math.min(options.pending, done + WRITE_CHUNK); i++) {
                            events.add(Envelopes.userCreated(company, "p6r" + rep, i));
                        }
                        var committed = writes.execute(c -> new EventfulTransaction.Result<>(null, events));
                        stillPendingAfterWrite += (int) committed.events().stream().filter(e -> "PENDING".equals(e.status())).count();
                    }
                    double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
                    long pending = infra.count(url, "SELECT count(*) FROM outbox_events WHERE status = 'PENDING'");
                    Thread.sleep(600); // older than the relay's grace period, as after any real outage

                    long t0 = System.nanoTime();
                    proxy.up();
                    AtomicLong firstPublish = new AtomicLong();
                    AtomicLong relayDone = new AtomicLong();
                    AtomicLong reconnected = new AtomicLong();
                    BrokerConnection broker = system.apiContext().getBean(BrokerConnection.class);
                    Thread watcher = new Thread(() -> {
                        while (reconnected.get() == 0 && relayDone.get() == 0) {
                            if (broker.isConnected()) {
                                reconnected.set(System.nanoTime());
                            }
                            sleep(5);
                        }
                    }, "bench-reconnect-watch");
                    watcher.setDaemon(true);
                    watcher.start();
                    // Only watches: the relay publishing is the system's own, as deployed.
                    Thread relayer = new Thread(() -> {
                        while (true) {
                            try {
                                long left = infra.count(url, "SELECT count(*) FROM outbox_events WHERE status = 'PENDING'");
                                if (left < pending) {
                                    firstPublish.compareAndSet(0, System.nanoTime());
                                }
                                if (left == 0) {
                                    relayDone.set(System.nanoTime());
                                    return;
                                }
                            } catch (Exception e) {
                                // the database answers; try again
                            }
                            sleep(10);
                        }
                    }, "bench-outbox-watch");
                    relayer.setDaemon(true);
                    relayer.start();
                    system.startEventSources();
                    boolean allPublished = Stats.await(120_000, 20, () -> relayDone.get() != 0);
                    long tPublished = relayDone.get();
                    boolean allAudited = Stats.await(120_000, 50, () -> {
                        try {
                            return infra.count(url, "SELECT count(*) FROM audit_logs") >= auditBefore + options.pending;
                        } catch (Exception e) {
                            return false;
                        }
                    });
                    long tAudited = System.nanoTime();
                    relayer.join(1_000);
                    if (!allPublished) {
                        report.detail("P6 rep " + rep + ": not all published within 120 s");
                        continue;
                    }
                    double pub = (tPublished - t0) / 1e9;
                    double aud = (tAudited - t0) / 1e9;
                    double reconnect = reconnected.get() == 0 ? Double.NaN : (reconnected.get() - t0) / 1e9;
                    double relayRate = options.pending / ((tPublished - (firstPublish.get() == 0 ? t0 : firstPublish.get())) / 1e9);
                    double phase = ((t0 - systemStart) / 1e9) % 60;
                    published.add(pub);
                    phases.add(phase);
                    if (allAudited) {
                        audited.add(aud);
                    }
                    relayRates.add(options.pending / pub);
                    report.detail("P6 rep " + rep + ": " + options.pending + " events written in " + Stats.num(writeSeconds) + " s while the broker was down ("
                            + stillPendingAfterWrite + " answered PENDING, " + pending + " pending rows); broker back at s "
                            + Stats.num(phase) + " of the relay's minute → publisher reconnected "
                            + Stats.num(reconnect) + " s, first rows published " + Stats.num(firstPublish.get() == 0 ? Double.NaN : (firstPublish.get() - t0) / 1e9) + " s, all published " + Stats.num(pub) + " s, all audited "
                            + (allAudited ? Stats.num(aud) + " s" : "not within 120 s") + "; relay pass ≈ " + Stats.num(relayRate) + " events/s");
                }
            }
        } finally {
            infra.deleteVhost(vhost);
        }
        double p = Stats.median(published);
        double a = Stats.median(audited);
        report.row("P6", "outbox recovery: " + String.format("%,d", options.pending) + " events pending, broker back → all published",
                Stats.num(p) + " s (all audited " + Stats.num(a) + " s)", "≤ 10 s", Report.atMost(p, 10),
                Stats.num(options.pending / base.pipelinedReceiveRate) + " s at PerfTest pipelined rate",
                "relay as deployed: invoked every minute, polling every 1 s for 55 s; broker back at s " + Stats.list(phases)
                        + " of the relay's minute; reps " + Stats.list(published) + " s");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
