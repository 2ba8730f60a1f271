package realty.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Command line of {@code scripts/bench.sh}. */
final class Options {
    boolean quick;
    int reps = 3;
    Set<String> only = new LinkedHashSet<>();
    Path out = Path.of("docs/benchmarks.md");
    boolean write = true;
    Path repo = Path.of(".").toAbsolutePath().normalize();

    // Durations and sizes; --quick shrinks them.
    int perfTestSeconds = 10;
    int pgbenchSeconds = 10;
    double rate = 200;
    int p1Seconds = 10;
    int p1WarmupSeconds = 5;
    /** --p1-warmup: both P1 warm-ups (the password path's, and the invitation path's, capped at 3 s otherwise). */
    int p1WarmupOverride = -1;
    int p1ProdCostSeconds = 2;
    double p1ProdCostSustainedRate = 10;
    int p1ProdCostSustainedSeconds = 10;
    int lowCost = 4;
    int prodCost = 10;
    int backlog = 100_000;
    List<Integer> batchSizes = new ArrayList<>(List.of(100, 500, 1000));
    int drainReps = 1;
    // P3S (ScaleBench): rows already present, events drained per function (notification: each one an SMTP mail)
    List<Integer> scaleSizes = new ArrayList<>(List.of(10_000, 100_000, 1_000_000));
    int scaleEvents = 50_000;
    int scaleCommissionEvents = 10_000;
    int scaleMailEvents = 5_000;
    boolean scaleNeverAnalysed = true;
    boolean scaleAutovacuum = true;
    /** P3S: the queue functions drained (default all three); the API runs only when all are. */
    List<String> scaleFunctions = new ArrayList<>(List.of("audit", "commission", "notification"));
    int properties = 10_000;
    int sales = 1_000;
    int pending = 10_000;
    int coldStartReps = 3;
    int coldStartExtraInvocations = 30;
    boolean appCds = true;
    boolean baselines = true;
    boolean prodCostRuns = true;
    int waitIdleSeconds;

    static final String USAGE = """
            usage: scripts/bench.sh [--quick] [--reps N] [--only P1,P3,...] [--batch-sizes 100,500] [--backlog N]
                                    [--out docs/benchmarks.md | --no-write]
              --quick         shorter runs, one repetition, smaller backlog (about 5 minutes instead of 15)
              --reps N        repetitions per figure (default 3; medians are reported)
              --only LIST     only these parts: baselines, P1 (with P2), P3, P3S (drain and API at scale), P4, P5, P6, P7 (with P8)
              --batch-sizes   event-source batch sizes for P3 (default 100,500,1000)
              --backlog N     P3 backlog (default 100000)
              --scale LIST    P3S: rows present before each drain (default 10k,100k,1M; k and M suffixes)
              --scale-events N  P3S: audit events drained per size (default 50000, quick 20000); commission
                              drains 10000 / 5000 (one sale each), notification 5000 / 1000 (one SMTP mail each)
              --no-never-analysed  P3S: skip the second run on tables autovacuum never analyses
              --only-never-analysed  P3S: only that run (skip the one with autovacuum as is)
              --scale-functions LIST  P3S: only these queue functions (audit,commission,notification); the API
                              latency at scale is measured only when all three run
              --no-write      print only; leave docs/benchmarks.md alone
              --no-appcds     skip the cold starts with an AppCDS archive
              --no-baselines  skip PerfTest and pgbench (ratios then show as –; for trying things out)
              --no-production-cost  skip the P1 runs at the production bcrypt cost
              --p1-warmup S   P1: seconds of warm-up at the P1 rate on each path (default 5 and 3, quick 3 and 3),
                              e.g. 60 to measure a JVM whose JIT has settled
              --wait-idle S   first wait up to S seconds for the machine to go quiet (1-minute load < 1.5)
            """;

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> o.quick();
                case "--reps" -> o.reps = Integer.parseInt(args[++i]);
                case "--p1-warmup" -> o.p1WarmupOverride = Integer.parseInt(args[++i]);
                case "--only" -> {
                    for (String part : args[++i].split(",")) {
                        o.only.add(part.trim().toUpperCase(Locale.ROOT));
                    }
                }
                case "--batch-sizes" -> {
                    o.batchSizes.clear();
                    for (String part : args[++i].split(",")) {
                        o.batchSizes.add(Integer.parseInt(part.trim()));
                    }
                }
                case "--backlog" -> o.backlog = Integer.parseInt(args[++i]);
                case "--scale" -> {
                    o.scaleSizes.clear();
                    for (String part : args[++i].split(",")) {
                        o.scaleSizes.add(count(part));
                    }
                }
                case "--scale-events" -> {
                    o.scaleEvents = count(args[++i]);
                    o.scaleCommissionEvents = Math.min(o.scaleCommissionEvents, o.scaleEvents);
                    o.scaleMailEvents = Math.min(o.scaleMailEvents, o.scaleEvents);
                }
                case "--no-never-analysed" -> o.scaleNeverAnalysed = false;
                case "--only-never-analysed" -> o.scaleAutovacuum = false;
                case "--scale-functions" -> {
                    o.scaleFunctions.clear();
                    for (String part : args[++i].split(",")) {
                        o.scaleFunctions.add(part.trim().toLowerCase(Locale.ROOT));
                    }
                }
                case "--out" -> o.out = Path.of(args[++i]);
                case "--no-write" -> o.write = false;
                case "--no-appcds" -> o.appCds = false;
                case "--no-baselines" -> o.baselines = false;
                case "--no-production-cost" -> o.prodCostRuns = false;
                case "--wait-idle" -> o.waitIdleSeconds = Integer.parseInt(args[++i]);
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                default -> {
                    System.err.println("unknown argument " + a + "\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        if (o.p1WarmupOverride >= 0) {
            o.p1WarmupSeconds = o.p1WarmupOverride;
        }
        if (o.only.contains("P2")) {
            o.only.add("P1");
        }
        if (o.only.contains("P8")) {
            o.only.add("P7");
        }
        return o;
    }

    int invitedWarmupSeconds() {
        return p1WarmupOverride >= 0 ? p1WarmupOverride : Math.min(3, p1WarmupSeconds);
    }

    private void quick() {
        quick = true;
        reps = 1;
        perfTestSeconds = 5;
        pgbenchSeconds = 5;
        p1Seconds = 5;
        p1WarmupSeconds = 3;
        p1ProdCostSeconds = 1;
        p1ProdCostSustainedSeconds = 5;
        backlog = 20_000;
        batchSizes = new ArrayList<>(List.of(100, 500));
        coldStartReps = 1;
        coldStartExtraInvocations = 10;
        scaleEvents = 20_000;
        scaleCommissionEvents = 5_000;
        scaleMailEvents = 1_000;
    }

    /** "10k", "1M", "250000" → a count. */
    static int count(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
        if (t.endsWith("m")) {
            return (int) Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1_000_000);
        }
        if (t.endsWith("k")) {
            return (int) Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1_000);
        }
        return Integer.parseInt(t);
    }

    boolean runs(String part) {
        return only.isEmpty() || only.contains(part.toUpperCase(Locale.ROOT));
    }

    String describe() {
        return (quick ? "quick mode" : "full mode") + ", " + reps + " repetition" + (reps == 1 ? "" : "s");
    }
}
