package realty.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code scripts/bench.sh}: P1–P8 of targets.md through the production handler classes, beside the
 * raw RabbitMQ and PostgreSQL baselines measured in the same run, printed and written to
 * {@code docs/benchmarks.md}.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Report report = new Report();
        current = report;
        long begin = System.nanoTime();
        report.started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        report.mode = options.describe();
        System.out.println("realty benchmark — " + report.mode + " — " + report.started);

        waitIdle(options.waitIdleSeconds);
        try (Infra infra = new Infra(false)) {
            machine(report, infra);
            report.machine.forEach((k, v) -> System.out.printf("  %-14s %s%n", k, v));
            Baselines baselines = new Baselines(infra, options, report);

            section("Raw baselines: RabbitMQ PerfTest and pgbench");
            // Every figure is printed beside a baseline of the same run, so any part but P7 alone takes them.
            if (options.baselines && (options.runs("baselines") || options.runs("P1") || options.runs("P3") || options.runs("P3S") || options.runs("P4")
                    || options.runs("P5") || options.runs("P6"))) {
                baselines.perfTest();
                baselines.pgbench();
            }
            if (options.runs("P1")) {
                section("P1/P2: POST /users at a fixed arrival rate; event lag to the audit row");
                guard(report, "P1", () -> new ApiLoadBench(infra, options, report, baselines).run());
            }
            if (options.runs("P3")) {
                section("P3: audit-function draining a backlog");
                guard(report, "P3", () -> new DrainBench(infra, options, report, baselines).run());
            }
            if (options.runs("P3S")) {
                section("P3S: queue-function drains and API latency with 10k to 1M rows present");
                guard(report, "P3S", () -> new ScaleBench(infra, options, report, baselines).run());
            }
            if (options.runs("P4") || options.runs("P5")) {
                section("P4/P5: bulk import and bulk sales");
                guard(report, "P4", () -> new BulkBench(infra, options, report, baselines).run(options.runs("P4"), options.runs("P5")));
            }
            if (options.runs("P6")) {
                section("P6: outbox recovery after a broker outage");
                guard(report, "P6", () -> new OutboxRecoveryBench(infra, options, report, baselines).run());
            }
            if (options.runs("P7")) {
                section("P7/P8: cold start, deployment jars, memory");
                guard(report, "P7", () -> new ColdStartBench(infra, options, report).run());
            }
        }
        long seconds = (System.nanoTime() - begin) / 1_000_000_000L;
        report.duration = (seconds / 60) + " min " + (seconds % 60) + " s";
        section("Summary (" + report.duration + ")");
        for (Report.Row r : report.rows) {
            System.out.printf("  %-4s %-13s %-70s %s%n", r.id(), r.verdict().text.replace("*", ""), r.what(), r.measured());
        }
        if (options.write) {
            Path out = options.repo.resolve(options.out);
            report.write(out);
            System.out.println("\nwritten to " + out);
        }
        System.exit(0);
    }

    interface Part {
        void run() throws Exception;
    }

    /** One part failing must not lose the others' figures. */
    private static void guard(Report report, String id, Part part) {
        try {
            part.run();
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            report.row(id, "(failed)", "not measured: " + e, "", Report.Verdict.NOT_MEASURED, "", "");
        }
    }

    private static Report current;

    private static void section(String title) {
        System.out.println("\n== " + title + "   [load " + load1() + "]");
        if (current != null) {
            current.sections.add(title + ": load " + load1() + " at start");
        }
    }

    static String load1() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static void waitIdle(int seconds) throws InterruptedException {
        if (seconds <= 0) {
            return;
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            double load = Double.parseDouble(load1().equals("?") ? "0" : load1());
            if (load < 1.5) {
                System.out.println("machine quiet (1-minute load " + load + ")");
                return;
            }
            System.out.println("waiting for the machine to go quiet: 1-minute load " + load);
            Thread.sleep(15_000);
        }
        System.out.println("still busy after " + seconds + " s (load " + load1() + "); measuring anyway");
    }

    private static void machine(Report report, Infra infra) {
        report.machine.put("CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores (nproc)");
        report.machine.put("Memory", memory());
        report.machine.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + osRelease());
        report.machine.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + "; bench JVM flags " + String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        report.machine.put("PostgreSQL", infra.postgres.description() + " (" + infra.serverVersion() + ")");
        report.machine.put("RabbitMQ", infra.rabbit.description() + " (" + infra.brokerVersion() + ")");
        report.machine.put("Load at start", loadAverage());
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return Stats.num(kb / 1048576.0) + " GiB";
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return "?";
    }

    private static String osRelease() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return "(" + line.substring(12).replace("\"", "") + ")";
                }
            }
        } catch (Exception ignored) {
            // unknown
        }
        return "";
    }

    private static String loadAverage() {
        try {
            List<String> parts = List.of(Files.readString(Path.of("/proc/loadavg")).trim().split(" "));
            return parts.get(0) + " " + parts.get(1) + " " + parts.get(2) + " (1/5/15 min; other work on the machine shows here)";
        } catch (Exception e) {
            return "?";
        }
    }
}
