package realty.bench;

import io.micronaut.json.JsonMapper;
import realty.local.LocalLambdaContext;
import realty.local.LocalSystem;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * P7 and P8: each function's deployment jar in a fresh JVM (Lambda-like flags for 512 MB), from
 * process start to the first event handled, then more events, then heap and RSS; plus the jar
 * sizes. Optionally again with an AppCDS archive made by a training run, to show that lever, which
 * the managed runtime cannot use (docs/deploy.md); in Lambda every function but the deploy task
 * restores from a SnapStart snapshot instead, primed by realty.api.SnapStartPriming and
 * realty.core.consumer.QueueFunctionPriming, which this JVM-only bench does not model.
 */
final class ColdStartBench {
    /** What the Lambda java17 runtime uses, roughly, for a 512 MB function (heap ≈ 85 % of memory). */
    static final List<String> LAMBDA_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx435m");

    record Fn(String name, String module, String handler, String sample) {
    }

    static final List<Fn> FUNCTIONS = List.of(
            new Fn("api", "api-function", "realty.api.ApiFunction", "events/api-post-users.json"),
            new Fn("audit", "audit-function", "realty.audit.AuditFunction", "events/rmq-audit_events.json"),
            new Fn("commission", "commission-function", "realty.commission.CommissionFunction", "events/rmq-commission_events.json"),
            new Fn("notification", "notification-function", "realty.notification.NotificationFunction", "events/rmq-notification_events.json"));

    record Run(long spawn, Map<String, Object> child, String log) {
        long l(String key) {
            Object v = child.get(key);
            return v instanceof Number n ? n.longValue() : -1;
        }

        double totalMs() {
            return l("firstDone") - spawn;
        }

        double toMainMs() {
            return l("main") - spawn;
        }

        double initMs() {
            return l("initDone") - l("main");
        }

        double firstInvokeMs() {
            return l("firstDone") - l("initDone");
        }
    }

    private final Infra infra;
    private final Options options;
    private final Report report;

    ColdStartBench(Infra infra, Options options, Report report) {
        this.infra = infra;
        this.options = options;
        this.report = report;
    }

    void run() throws Exception {
        Path work = Files.createDirectories(options.repo.resolve("bench/target/coldstart"));
        // The child's own classes as a jar: class-data sharing archives accept only jars on the class path.
        Path childJar = childJar(work);
        String classes = childJar.toString();

        // Baseline: a bare JVM with the same flags, start → main.
        List<Double> bare = new ArrayList<>();
        for (int rep = 0; rep < Math.max(3, options.coldStartReps); rep++) {
            Run r = spawn(BareJvmMain.class.getName(), classes, List.of(), List.of(), Map.of());
            bare.add(r.toMainMs());
        }
        double bareMs = Stats.median(bare);
        report.baseline("bare JVM start → main (same flags, this machine)", Stats.ms(bareMs) + " (reps " + Stats.list(bare) + ")", "–");

        String url = infra.createDatabase("bench_p7");
        String vhost = infra.createVhost("bench-p7");
        try (LocalSystem system = infra.startSystem(url, vhost, infra.rabbit.port(), false, 100, java.time.Duration.ofMillis(20),
                Map.of("realty.security.bcrypt-cost", options.lowCost))) {
            JsonMapper json = system.apiContext().getBean(JsonMapper.class);
            Api api = new Api(system.api(), json);
            String[] tenant = api.tenant("Bench P7");
            Map<String, String> env = new LinkedHashMap<>();
            env.put("DB_JDBC_URL", url);
            env.put("DB_USERNAME", infra.postgres.username());
            env.put("DB_PASSWORD", infra.postgres.password());
            env.put("AMQP_URI", "amqp://" + infra.rabbit.host() + ":" + infra.rabbit.port());
            env.put("AMQP_VHOST", vhost);
            env.put("AMQP_USERNAME", infra.rabbit.username());
            env.put("AMQP_PASSWORD", infra.rabbit.password());
            env.put("JWT_SECRET", Infra.JWT_SECRET);
            env.put("BCRYPT_COST", String.valueOf(options.prodCost));
            env.put("REALTY_ENVIRONMENT", "bench");

            for (Fn fn : FUNCTIONS) {
                Path jar = options.repo.resolve(fn.module() + "/target/" + fn.module() + "-lambda.jar");
                if (!Files.exists(jar)) {
                    report.row("P7", fn.name() + "-function cold start", "not measured: " + jar + " missing (mvn package)",
                            "≤ 2 s", Report.Verdict.NOT_MEASURED, "", "");
                    continue;
                }
                long size = Files.size(jar);
                String cp = jar + ":" + classes;
                List<Run> runs = new ArrayList<>();
                for (int rep = 0; rep < options.coldStartReps; rep++) {
                    Path events = events(work, fn, json, tenant, options.coldStartExtraInvocations + 1);
                    runs.add(spawn(ColdStartMain.class.getName(), cp, List.of(fn.handler(), events.toString(), fn.module()), List.of(), env));
                }
                List<Run> cdsRuns = new ArrayList<>();
                if (options.appCds) {
                    Path archive = work.resolve(fn.module() + ".jsa");
                    Files.deleteIfExists(archive);
                    Path training = events(work, fn, json, tenant, options.coldStartExtraInvocations + 1);
                    spawn(ColdStartMain.class.getName(), cp, List.of(fn.handler(), training.toString(), fn.module()), List.of("-XX:ArchiveClassesAtExit=" + archive), env);
                    if (Files.exists(archive)) {
                        for (int rep = 0; rep < options.coldStartReps; rep++) {
                            Path events = events(work, fn, json, tenant, options.coldStartExtraInvocations + 1);
                            cdsRuns.add(spawn(ColdStartMain.class.getName(), cp, List.of(fn.handler(), events.toString(), fn.module()),
                                    List.of("-XX:SharedArchiveFile=" + archive), env));
                        }
                    }
                }
                reportFunction(fn, size, runs, cdsRuns, bareMs);
            }
        } finally {
            infra.deleteVhost(vhost);
        }
    }

    private void reportFunction(Fn fn, long size, List<Run> runs, List<Run> cdsRuns, double bareMs) {
        List<Double> total = runs.stream().map(Run::totalMs).toList();
        List<Double> toMain = runs.stream().map(Run::toMainMs).toList();
        List<Double> init = runs.stream().map(Run::initMs).toList();
        List<Double> first = runs.stream().map(Run::firstInvokeMs).toList();
        double t = Stats.median(total);
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            report.detail("P7 " + fn.name() + " rep " + (i + 1) + ": spawn → main " + Stats.ms(r.toMainMs()) + ", handler init "
                    + Stats.ms(r.initMs()) + ", first event " + Stats.ms(r.firstInvokeMs()) + " (status " + r.child().get("firstStatus")
                    + "), total " + Stats.ms(r.totalMs()) + "; then " + r.l("more") + " more in " + r.l("moreMs") + " ms "
                    + r.child().get("moreStatuses") + "; heap used " + mb(r.l("heapUsed")) + " (after GC " + mb(r.l("heapAfterGc"))
                    + ", committed " + mb(r.l("heapCommitted")) + "), non-heap " + mb(r.l("nonHeapUsed")) + ", RSS "
                    + Stats.num(r.l("rssKb") / 1024.0) + " MB, peak RSS " + Stats.num(r.l("hwmKb") / 1024.0) + " MB, GCs " + r.l("gcCount"));
        }
        String cds = "";
        if (!cdsRuns.isEmpty()) {
            double c = Stats.median(cdsRuns.stream().map(Run::totalMs).toList());
            // Not a figure Lambda can reach: the archive holds classes from the jar on the class path, while Lambda
            // unpacks a zip into /var/task, a directory CDS cannot archive from (docs/deploy.md, "Jar sizes and cold start").
            cds = "; with AppCDS archive (jar on the class path; not available to a Lambda zip deployment): " + Stats.ms(c);
            for (int i = 0; i < cdsRuns.size(); i++) {
                Run r = cdsRuns.get(i);
                report.detail("P7 " + fn.name() + " AppCDS rep " + (i + 1) + ": spawn → main " + Stats.ms(r.toMainMs()) + ", init "
                        + Stats.ms(r.initMs()) + ", first event " + Stats.ms(r.firstInvokeMs()) + ", total " + Stats.ms(r.totalMs()));
            }
        }
        report.row("P7", fn.name() + "-function cold start: process start → first event handled",
                Stats.ms(t) + " (JVM " + Stats.ms(Stats.median(toMain)) + " + init " + Stats.ms(Stats.median(init)) + " + first "
                        + Stats.ms(Stats.median(first)) + ")",
                "≤ 2 s", Report.atMost(t, 2000), "bare JVM " + Stats.ms(bareMs), "reps " + Stats.list(total) + " ms" + cds);
        double sizeMb = size / 1e6;
        report.row("P7", fn.name() + "-function deployment jar", Stats.num(sizeMb) + " MB (" + Stats.num(size / 1048576.0) + " MiB)",
                "≤ 25 MB", Report.atMost(sizeMb, 25), "", fn.module() + "/target/" + fn.module() + "-lambda.jar");
        double hwm = Stats.median(runs.stream().map(r -> r.l("hwmKb") / 1024.0).toList());
        double heapAfter = Stats.median(runs.stream().map(r -> r.l("heapAfterGc") / 1048576.0).toList());
        double heapUsed = Stats.median(runs.stream().map(r -> r.l("heapUsed") / 1048576.0).toList());
        report.row("P8", fn.name() + "-function memory after " + (1 + options.coldStartExtraInvocations) + " events",
                "peak RSS " + Stats.num(hwm) + " MB; heap " + Stats.num(heapUsed) + " MB used, " + Stats.num(heapAfter) + " MB live",
                "fits 512 MB", Report.atMost(hwm, 512), "", "-Xmx435m, SerialGC");
    }

    /** ColdStartMain, its JSON reader, LocalLambdaContext and BareJvmMain, copied from this class path into a jar. */
    private static Path childJar(Path work) throws Exception {
        Path jar = work.resolve("coldstart-main.jar");
        List<Class<?>> classes = List.of(ColdStartMain.class, ColdStartMain.Json.class, LocalLambdaContext.class, BareJvmMain.class);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            List<String> names = new ArrayList<>();
            for (Class<?> c : classes) {
                names.add(c.getName().replace('.', '/') + ".class");
            }
            // anonymous inner classes (LocalLambdaContext's logger)
            for (int i = 1; i < 10; i++) {
                names.add(LocalLambdaContext.class.getName().replace('.', '/') + "$" + i + ".class");
            }
            for (String name : names) {
                try (InputStream in = ColdStartBench.class.getClassLoader().getResourceAsStream(name)) {
                    if (in == null) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(name));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }

    private static String mb(long bytes) {
        return Stats.num(bytes / 1048576.0) + " MB";
    }

    /** A JSON-lines file of n fresh events shaped like the function's sample event. */
    private Path events(Path work, Fn fn, JsonMapper json, String[] tenant, int n) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> sample = json.readValue(Files.readAllBytes(options.repo.resolve(fn.sample())), Map.class);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Map<String, Object> e = deepCopy(json, sample);
            if (fn.name().equals("api")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> headers = (Map<String, Object>) e.get("headers");
                headers.put("authorization", "Bearer " + tenant[1]);
                headers.put("x-request-id", "p7-" + UUID.randomUUID());
                headers.remove("content-length");
                e.put("body", json.writeValueAsString(Map.of("email", "cold-" + UUID.randomUUID() + "@bench.realty.dev",
                        "name", "Cold Start", "password", "a-long-password", "profiles", List.of("agent"),
                        "companyIds", List.of(tenant[0]))));
            } else {
                @SuppressWarnings("unchecked")
                Map<String, List<Map<String, Object>>> byQueue = (Map<String, List<Map<String, Object>>>) e.get("rmqMessagesByQueue");
                for (List<Map<String, Object>> messages : byQueue.values()) {
                    for (Map<String, Object> m : messages) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> envelope = json.readValue(Base64.getDecoder().decode((String) m.get("data")), Map.class);
                        String id = UUID.randomUUID().toString();
                        envelope.put("id", id);
                        envelope.put("companyId", tenant[0]);
                        byte[] body = json.writeValueAsBytes(envelope);
                        m.put("data", Base64.getEncoder().encodeToString(body));
                        @SuppressWarnings("unchecked")
                        Map<String, Object> props = (Map<String, Object>) m.get("basicProperties");
                        props.put("messageId", id);
                        props.put("bodySize", body.length);
                    }
                }
            }
            out.append(json.writeValueAsString(e)).append('\n');
        }
        Path file = work.resolve(fn.module() + "-" + UUID.randomUUID().toString().substring(0, 8) + ".jsonl");
        Files.writeString(file, out);
        return file;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(JsonMapper json, Map<String, Object> m) throws Exception {
        return json.readValue(json.writeValueAsBytes(m), Map.class);
    }

    private Run spawn(String mainClass, String classpath, List<String> args, List<String> extraFlags, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Baselines.javaBin());
        cmd.addAll(LAMBDA_FLAGS);
        cmd.addAll(extraFlags);
        String childOpts = System.getenv("BENCH_CHILD_OPTS"); // e.g. a JFR recording of the cold starts
        if (childOpts != null && !childOpts.isBlank() && !mainClass.equals(BareJvmMain.class.getName())) {
            cmd.addAll(List.of(childOpts.trim().split("\\s+")));
        }
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> e = pb.environment();
        String path = e.getOrDefault("PATH", "/usr/bin:/bin");
        String home = e.getOrDefault("HOME", "/tmp");
        e.clear();
        e.put("PATH", path);
        e.put("HOME", home);
        e.put("LANG", "C.UTF-8");
        e.putAll(env);
        long spawn = System.currentTimeMillis();
        Process p = pb.start();
        Deque<String> tail = new ArrayDeque<>();
        Map<String, Object> child = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("COLDSTART ")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> parsed = (Map<String, Object>) ColdStartMain.Json.parse(line.substring("COLDSTART ".length()));
                    child = parsed;
                } else {
                    tail.addLast(line);
                    if (tail.size() > 40) {
                        tail.removeFirst();
                    }
                }
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        if (child == null) {
            throw new IllegalStateException("cold-start child " + args + " printed no result (exit " + p.exitValue() + "):\n"
                    + String.join("\n", tail));
        }
        return new Run(spawn, child, String.join("\n", tail));
    }
}
