package realty.runtimecheck.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Lambda execution environment: a JVM started the way the managed java17 runtime starts it
 * (task root as working directory, {@link LambdaRuntime}'s command line with AWS's runtime interface
 * client as the entry point, exactly the deployment's environment variables plus what Lambda sets),
 * and the Runtime API it talks to, served here on a port of its own.
 *
 * <h2>Lifecycle modelled</h2>
 * From https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html ("Init phase",
 * "Restore phase") and https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html:
 * <ul>
 *   <li><b>INIT</b> runs from the process start until the runtime's first
 *   {@code GET /runtime/invocation/next}, or for a SnapStart function until
 *   {@code GET /runtime/restore/next}, which AWSLambda (the runtime interface client) calls after
 *   running the CRaC {@code beforeCheckpoint} hooks when {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start};
 *   it runs the {@code afterRestore} hooks when that call returns (AWSLambda.onInitComplete in
 *   aws/aws-lambda-java-libs).</li>
 *   <li>"The Init phase is limited to 10 seconds. If all three tasks do not complete within 10 seconds,
 *   Lambda retries the Init phase at the time of the first function invocation with the configured
 *   function timeout." Modelled: at 10 s the process is killed and an {@code INIT_REPORT ... Phase: init
 *   Status: timeout} is recorded; the first {@link #invoke} then starts a new process whose INIT
 *   counts against the invocation's timeout ({@code Phase: invoke}). "For provisioned concurrency and
 *   SnapStart functions, your initialization code can run for up to 15 minutes. The time limit is 130
 *   seconds or the configured function timeout (maximum 900 seconds), whichever is higher": for SnapStart
 *   an INIT over that limit fails the version's publication, with no retry.</li>
 *   <li><b>Restore</b> (SnapStart): the snapshot is taken at {@code /restore/next}; before answering it
 *   the {@link RestoreHook} breaks every network connection the process holds, because the
 *   connections inside a snapshot are dead when it is restored (on another machine, later).</li>
 *   <li><b>INVOKE</b>: {@code /next} hands out one event with {@code Lambda-Runtime-Aws-Request-Id},
 *   {@code -Deadline-Ms}, {@code -Invoked-Function-Arn}, {@code -Trace-Id}; {@code /response} or
 *   {@code /error} completes it; no answer by the deadline is Lambda's "Task timed out after N seconds"
 *   and the environment is reset (process killed).</li>
 *   <li>Errors as Lambda reports them: {@code /init/error} and {@code /invocation/{id}/error} with their
 *   {@code Lambda-Runtime-Function-Error-Type} header and JSON body ({@code errorMessage},
 *   {@code errorType}, {@code stackTrace}); a process that exits is {@code Runtime.ExitError}.</li>
 * </ul>
 */
public final class ExecutionEnvironment implements AutoCloseable {
    /**
     * The on-demand INIT limit: Lambda's 10 s. {@code -Drealty.runtime-check.init-limit-seconds=N}
     * raises it on a machine known to be much slower than Lambda (or shared with other builds); the
     * default is Lambda's and is what CI runs.
     */
    public static final Duration INIT_LIMIT = Duration.ofSeconds(Long.getLong("realty.runtime-check.init-limit-seconds", 10));
    private static final String RUNTIME_API = "/2018-06-01/runtime";
    private static final ScheduledExecutorService TIMERS = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "lambda-timers");
        t.setDaemon(true);
        return t;
    });

    /** Every environment not closed yet: killed when the test JVM exits, whatever happened. */
    private static final Set<ExecutionEnvironment> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ExecutionEnvironment::close), "lambda-environments-stop"));
    }

    /**
     * util-linux's {@code setpriv --pdeathsig KILL} in front of the JVM, where available: the kernel
     * kills the function's JVM when the thread that started it ends, so nothing outlives a test JVM
     * that is killed without running its shutdown hooks. setpriv execs the JVM (same pid). Environments
     * are started from threads that live as long as the test class (the JUnit thread that runs the class, the suite's
     * start queue).
     */
    private static final List<String> PARENT_DEATH_KILLS = parentDeathKills();

    private static List<String> parentDeathKills() {
        try {
            Process p = new ProcessBuilder("setpriv", "--help").redirectErrorStream(true).start();
            String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 && help.contains("--pdeathsig") ? List.of("setpriv", "--pdeathsig", "KILL", "--") : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** What the environment is doing, as the Runtime API saw it. */
    public enum Phase { INIT, RESTORE, IDLE, INVOKE, INIT_FAILED, INIT_TIMED_OUT, EXITED, CLOSED }

    public enum InitStatus { SUCCESS, ERROR, TIMEOUT, EXIT }

    /** Breaks the process's connections at a SnapStart restore; returns what it did, for the record. */
    @FunctionalInterface
    public interface RestoreHook {
        String restore(ExecutionEnvironment environment) throws Exception;
    }

    /**
     * @param functionName     Lambda function name
     * @param handler          the deployment's handler
     * @param taskRoot         the deployment package, extracted
     * @param environment      the deployment's variables, tokens resolved
     * @param grantedSecrets   secret ARNs the execution role may read
     * @param initLimit        override of Lambda's INIT limit (harness self-tests only); null for Lambda's
     */
    public record Spec(String functionName, String handler, Path taskRoot, int memoryMb, int timeoutSeconds,
                       boolean snapStart, Map<String, String> environment, Set<String> grantedSecrets, Path logDir,
                       Duration initLimit, RestoreHook restoreHook) {
    }

    /** How INIT ended. */
    public record InitResult(InitStatus status, Duration duration, String errorTypeHeader, JsonNode error,
                             Integer exitCode, List<String> reports) {
        public boolean succeeded() {
            return status == InitStatus.SUCCESS;
        }
    }

    /** What Lambda's Invoke API would return: a payload, or FunctionError "Unhandled" with the error document. */
    public record InvokeResult(String requestId, String payload, String functionError, String errorTypeHeader,
                               JsonNode error, Duration duration) {
        public boolean succeeded() {
            return functionError == null;
        }

        public JsonNode json() {
            return Json.parse(payload);
        }
    }

    private final Spec spec;
    private final LambdaRuntime runtime = LambdaRuntime.get();
    private final AwsPlatform platform = AwsPlatform.shared();
    private final Map<String, String> processEnvironment;
    private final AwsPlatform.IssuedCredentials credentials;
    private final HttpServer runtimeApi;
    private final ExecutorService apiThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final Path logFile;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final List<String> reports = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<InitResult> init = new CompletableFuture<>();
    private final List<String> restoreRecords = Collections.synchronizedList(new ArrayList<>());

    private volatile Phase phase = Phase.INIT;
    private volatile Process process;
    private volatile long initStartNanos;
    private volatile boolean suppressedInit;
    private volatile Invocation current;
    private volatile ScheduledFuture<?> initWatchdog;
    private volatile String initErrorTypeHeader;
    private volatile JsonNode initError;
    /** The CPU slots of an INIT retried inside the first invocation, until that INIT ends. */
    private final java.util.concurrent.atomic.AtomicBoolean retrySlots = new java.util.concurrent.atomic.AtomicBoolean();

    private final class Invocation {
        final String id = UUID.randomUUID().toString();
        final byte[] payload;
        final long startNanos = System.nanoTime();
        volatile long deadlineEpochMs;
        final CompletableFuture<InvokeResult> result = new CompletableFuture<>();

        Invocation(byte[] payload) {
            this.payload = payload;
        }

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }
    }

    private ExecutionEnvironment(Spec spec) {
        this.spec = spec;
        try {
            Files.createDirectories(spec.logDir());
            logFile = spec.logDir().resolve(spec.functionName() + ".log");
            Files.deleteIfExists(logFile);
            runtimeApi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        runtimeApi.createContext(RUNTIME_API + "/", this::runtimeApi);
        runtimeApi.setExecutor(apiThreads);
        runtimeApi.start();
        credentials = platform.issueCredentials(this);
        processEnvironment = buildEnvironment();
    }

    /** Starts the process once its INIT has a CPU slot ({@link CpuSlots}; waiting is not INIT time): INIT begins. */
    public static ExecutionEnvironment start(Spec spec) {
        int slots = spec.snapStart() ? 1 : CpuSlots.ALL;
        CpuSlots.acquire(slots, spec.functionName());
        ExecutionEnvironment env;
        try {
            env = new ExecutionEnvironment(spec);
            LIVE.add(env);
            env.launch();
        } catch (RuntimeException | Error e) {
            CpuSlots.release(slots);
            throw e;
        }
        // Completed once, however INIT ends (success, error, exit, timeout, close).
        env.init.whenComplete((result, failure) -> CpuSlots.release(slots));
        return env;
    }

    // --- the environment Lambda gives ------------------------------------------------------------

    /**
     * Variables Lambda reserves: a deployment may not set them (Lambda refuses the configuration), and
     * the runtime sets them. https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
     */
    public static final Set<String> RESERVED = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
            "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
            "LAMBDA_RUNTIME_DIR");

    /** The one variable the harness adds that Lambda does not: where the Secrets Manager stand-in answers. */
    public static final String SECRETS_MANAGER_ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_SECRETS_MANAGER";

    private Map<String, String> buildEnvironment() {
        for (String key : spec.environment().keySet()) {
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException(spec.functionName() + ": the deployment sets the reserved variable " + key
                        + "; Lambda refuses such a configuration");
            }
        }
        Map<String, String> env = new LinkedHashMap<>(spec.environment());
        // Defined runtime environment variables (configuration-envvars.html), java17 values.
        String version = "1"; // both deployments publish versions and invoke through the "live" alias
        env.put("_HANDLER", spec.handler());
        env.put("AWS_REGION", AwsPlatform.REGION);
        env.put("AWS_DEFAULT_REGION", AwsPlatform.REGION);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.functionName());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(spec.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", version);
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", spec.snapStart() ? "snap-start" : "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.functionName());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", LocalDate.now().format(DateTimeFormatter.ofPattern("yyyy/MM/dd"))
                + "/[" + version + "]" + AwsPlatform.hex(16));
        env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApi.getAddress().getPort());
        env.put("LAMBDA_TASK_ROOT", spec.taskRoot().toString());
        env.put("LAMBDA_RUNTIME_DIR", runtime.dir().toString());
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin");
        env.put("LD_LIBRARY_PATH", String.join(":", Path.of(System.getProperty("java.home"), "lib").toString(), "/lib64",
                "/usr/lib64", runtime.dir().toString(), runtime.dir().resolve("lib").toString(), spec.taskRoot().toString(),
                spec.taskRoot().resolve("lib").toString(), "/opt/lib"));
        if (spec.snapStart()) {
            // "When SnapStart is activated, the Java runtime automatically uses the container credentials
            // (AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN) instead of the access
            // key environment variables" (snapstart-activate.html#snapstart-credentials): no AWS_SESSION_TOKEN.
            env.putAll(platform.containerCredentials(this));
        } else {
            env.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
            env.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
            env.put("AWS_SESSION_TOKEN", credentials.sessionToken());
        }
        if (env.containsKey(SECRETS_MANAGER_ENDPOINT_VARIABLE)) {
            throw new IllegalArgumentException(spec.functionName() + ": the deployment sets " + SECRETS_MANAGER_ENDPOINT_VARIABLE);
        }
        env.put(SECRETS_MANAGER_ENDPOINT_VARIABLE, platform.secretsManagerEndpoint().toString());
        // The Parameters and Secrets extension listens where the function's variables say (or 2773).
        platform.ensureExtension(extensionPort(spec.environment()));
        return Collections.unmodifiableMap(env);
    }

    static int extensionPort(Map<String, String> env) {
        String port = env.get("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT");
        return port == null ? AwsPlatform.DEFAULT_EXTENSION_PORT : Integer.parseInt(port);
    }

    // --- process ---------------------------------------------------------------------------------

    private synchronized void launch() {
        try {
            Path tmp = Files.createDirectories(spec.logDir().resolve(spec.functionName() + "-tmp"));
            List<String> command = new ArrayList<>(PARENT_DEATH_KILLS);
            command.add(runtime.javaExecutable().toString());
            command.addAll(runtime.jvmArguments(spec.memoryMb(), tmp));
            command.add(LambdaRuntime.ENTRY_POINT);
            command.add(spec.handler());
            ProcessBuilder builder = new ProcessBuilder(command).directory(spec.taskRoot().toFile());
            builder.environment().clear();
            builder.environment().putAll(processEnvironment);
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            log("START " + (suppressedInit ? "(INIT retried inside the first invocation) " : "") + String.join(" ", command));
            phase = Phase.INIT;
            initStartNanos = System.nanoTime();
            Process p = builder.start();
            process = p;
            platform.register(p.pid(), this);
            p.onExit().thenAccept(this::exited);
            if (!suppressedInit) {
                Duration limit = initLimit();
                initWatchdog = TIMERS.schedule(this::initTimedOut, limit.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + spec.functionName(), e);
        }
    }

    /** Lambda's INIT limit for this function (see the class comment). */
    public Duration initLimit() {
        if (spec.initLimit() != null) {
            return spec.initLimit();
        }
        if (spec.snapStart()) {
            return Duration.ofSeconds(Math.min(900, Math.max(130, spec.timeoutSeconds())));
        }
        return INIT_LIMIT;
    }

    private synchronized void initTimedOut() {
        if (phase != Phase.INIT && phase != Phase.RESTORE || init.isDone() || suppressedInit) {
            return;
        }
        Duration limit = initLimit();
        report(String.format(Locale.ROOT, "INIT_REPORT Init Duration: %.2f ms Phase: init Status: timeout", (double) limit.toMillis()));
        phase = Phase.INIT_TIMED_OUT;
        kill();
        init.complete(new InitResult(InitStatus.TIMEOUT, limit, null, null, null, List.copyOf(reports)));
    }

    private void exited(Process p) {
        int code = p.exitValue();
        platform.unregister(p.pid());
        Invocation inv;
        synchronized (this) {
            if (p != process || phase == Phase.CLOSED) {
                return;
            }
            releaseRetrySlots();
            inv = current;
            switch (phase) {
                case INIT, RESTORE -> {
                    Duration d = sinceInitStart();
                    if (initError != null) {
                        report(initReport(d, "error", errorTypeOf(initErrorTypeHeader, initError)));
                        phase = Phase.INIT_FAILED;
                        completeInit(new InitResult(InitStatus.ERROR, d, initErrorTypeHeader, initError, code, List.copyOf(reports)));
                    } else {
                        report(initReport(d, "error", "Runtime.ExitError"));
                        phase = Phase.INIT_FAILED;
                        completeInit(new InitResult(InitStatus.EXIT, d, "Runtime.ExitError", null, code, List.copyOf(reports)));
                    }
                }
                case INIT_FAILED -> {
                    // the runtime reported /init/error and exited, as AWSLambda does (System.exit(1))
                    completeInit(new InitResult(InitStatus.ERROR, sinceInitStart(), initErrorTypeHeader, initError, code,
                            List.copyOf(reports)));
                }
                default -> {
                }
            }
            if (phase != Phase.INIT_TIMED_OUT) {
                phase = phase == Phase.INIT_FAILED ? Phase.INIT_FAILED : Phase.EXITED;
            }
        }
        log("EXIT status " + code);
        if (inv != null && !inv.result.isDone()) {
            JsonNode error = Json.parse(Json.write(Map.of("errorType", "Runtime.ExitError",
                    "errorMessage", "RequestId: " + inv.id + " Error: Runtime exited with error: exit status " + code)));
            inv.result.complete(new InvokeResult(inv.id, Json.write(error), "Unhandled", "Runtime.ExitError", error, inv.elapsed()));
        }
    }

    private void releaseRetrySlots() {
        if (retrySlots.getAndSet(false)) {
            CpuSlots.release(CpuSlots.ALL);
        }
    }

    private void completeInit(InitResult result) {
        if (initWatchdog != null) {
            initWatchdog.cancel(false);
        }
        init.complete(result);
    }

    private Duration sinceInitStart() {
        return Duration.ofNanos(System.nanoTime() - initStartNanos);
    }

    private static String initReport(Duration d, String status, String errorType) {
        return String.format(Locale.ROOT, "INIT_REPORT Init Duration: %.2f ms Phase: init Status: %s%s", d.toNanos() / 1e6, status,
                errorType == null ? "" : " Error Type: " + errorType);
    }

    private static String errorTypeOf(String header, JsonNode body) {
        return header != null ? header : body == null ? null : body.path("errorType").asText(null);
    }

    // --- Runtime API -----------------------------------------------------------------------------

    private void runtimeApi(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(RUNTIME_API.length());
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (method.equals("GET") && path.equals("/invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.startsWith("/invocation/") && path.endsWith("/response")) {
                completeInvocation(exchange, path.substring("/invocation/".length(), path.length() - "/response".length()), body, false);
            } else if (method.equals("POST") && path.startsWith("/invocation/") && path.endsWith("/error")) {
                completeInvocation(exchange, path.substring("/invocation/".length(), path.length() - "/error".length()), body, true);
            } else if (method.equals("POST") && path.equals("/init/error")) {
                initError(exchange, body);
            } else if (method.equals("GET") && path.equals("/restore/next")) {
                restoreNext(exchange);
            } else if (method.equals("POST") && path.equals("/restore/error")) {
                restoreError(exchange, body);
            } else {
                send(exchange, 404, "{\"errorMessage\":\"unknown Runtime API path " + path + "\",\"errorType\":\"InvalidRequest\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        synchronized (this) {
            if (phase == Phase.INIT) {
                Duration d = sinceInitStart();
                if (suppressedInit) {
                    releaseRetrySlots();
                    report(String.format(Locale.ROOT, "INIT_REPORT Init Duration: %.2f ms Phase: invoke Status: success", d.toNanos() / 1e6));
                } else {
                    report(String.format(Locale.ROOT, "INIT_REPORT Init Duration: %.2f ms Phase: init Status: success", d.toNanos() / 1e6));
                }
                phase = Phase.IDLE;
                completeInit(new InitResult(InitStatus.SUCCESS, d, null, null, null, List.copyOf(reports)));
            } else if (phase == Phase.RESTORE) {
                report("RESTORE_REPORT Restore Duration: after-restore hooks done, runtime ready");
                phase = Phase.IDLE;
            } else if (phase == Phase.INVOKE) {
                // the previous invocation was answered; the runtime is ready for the next
                phase = Phase.IDLE;
            }
        }
        Invocation inv = null;
        while (inv == null) {
            if (phase == Phase.CLOSED || process == null || !process.isAlive()) {
                send(exchange, 500, "{\"errorMessage\":\"execution environment shutting down\",\"errorType\":\"Runtime.Shutdown\"}");
                return;
            }
            try {
                inv = pending.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        synchronized (this) {
            current = inv;
            phase = Phase.INVOKE;
            if (inv.deadlineEpochMs == 0) {
                inv.deadlineEpochMs = System.currentTimeMillis() + spec.timeoutSeconds() * 1000L;
            }
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", inv.id);
        headers.set("Lambda-Runtime-Deadline-Ms", String.valueOf(inv.deadlineEpochMs));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn() + ":live");
        headers.set("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + AwsPlatform.hex(12) + ";Parent=" + AwsPlatform.hex(8) + ";Sampled=0;Lineage=1:" + AwsPlatform.hex(4) + ":0");
        exchange.sendResponseHeaders(200, inv.payload.length == 0 ? -1 : inv.payload.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(inv.payload);
        }
    }

    private void completeInvocation(HttpExchange exchange, String requestId, byte[] body, boolean error) throws IOException {
        Invocation inv = current;
        if (inv == null || !inv.id.equals(requestId)) {
            send(exchange, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        String typeHeader = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        send(exchange, 202, "{\"status\":\"OK\"}");
        String payload = new String(body, StandardCharsets.UTF_8);
        synchronized (this) {
            current = null;
        }
        if (error) {
            JsonNode doc = Json.parse(body);
            log("INVOKE " + requestId + " error " + typeHeader + " " + Json.abbreviate(payload, 2000));
            inv.result.complete(new InvokeResult(requestId, payload, "Unhandled", typeHeader, doc, inv.elapsed()));
        } else {
            log("INVOKE " + requestId + " response " + Json.abbreviate(payload, 500));
            inv.result.complete(new InvokeResult(requestId, payload, null, null, null, inv.elapsed()));
        }
    }

    private void initError(HttpExchange exchange, byte[] body) throws IOException {
        String typeHeader = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        JsonNode doc = body.length == 0 ? null : Json.parse(body);
        synchronized (this) {
            if (phase != Phase.INIT) {
                send(exchange, 403, "{\"errorMessage\":\"init error outside INIT\",\"errorType\":\"InvalidStateTransition\"}");
                return;
            }
            initErrorTypeHeader = typeHeader;
            initError = doc;
            phase = Phase.INIT_FAILED;
            report(initReport(sinceInitStart(), "error", errorTypeOf(typeHeader, doc)));
        }
        log("INIT error " + typeHeader + " " + (doc == null ? "" : Json.abbreviate(doc.toString(), 4000)));
        send(exchange, 202, "{\"status\":\"OK\"}");
        // The runtime exits after reporting (AWSLambda: System.exit(1)); Lambda records the error when it does.
    }

    private void restoreNext(HttpExchange exchange) throws IOException {
        synchronized (this) {
            if (!spec.snapStart() || phase != Phase.INIT) {
                send(exchange, 403, "{\"errorMessage\":\"restore/next outside a SnapStart INIT\",\"errorType\":\"InvalidStateTransition\"}");
                return;
            }
            Duration d = sinceInitStart();
            report(String.format(Locale.ROOT, "INIT_REPORT Init Duration: %.2f ms Phase: init Status: success (snapshot taken)",
                    d.toNanos() / 1e6));
            phase = Phase.RESTORE;
            completeInit(new InitResult(InitStatus.SUCCESS, d, null, null, null, List.copyOf(reports)));
        }
        // The snapshot is taken here; what follows is a restore of it, possibly much later and elsewhere.
        String what;
        try {
            what = spec.restoreHook() == null ? "no restore hook" : spec.restoreHook().restore(this);
        } catch (Exception e) {
            what = "restore hook failed: " + e;
        }
        restoreRecords.add(what);
        log("RESTORE_START " + what);
        send(exchange, 200, "");
    }

    private void restoreError(HttpExchange exchange, byte[] body) throws IOException {
        String typeHeader = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        JsonNode doc = body.length == 0 ? null : Json.parse(body);
        report("RESTORE_REPORT Status: error Error Type: " + errorTypeOf(typeHeader, doc));
        log("RESTORE error " + typeHeader + " " + (doc == null ? "" : doc.toString()));
        synchronized (this) {
            restoreRecords.add("restore error: " + typeHeader + " " + doc);
            phase = Phase.INIT_FAILED;
            initErrorTypeHeader = typeHeader;
            initError = doc;
        }
        send(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    // --- what tests call ---------------------------------------------------------------------------

    /** Waits until INIT ends (success, error, exit or timeout). */
    public InitResult awaitInit() {
        try {
            return init.get(initLimit().toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(spec.functionName() + ": INIT did not end (harness problem)\n" + logTail(40));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Invokes the function synchronously, as Lambda's Invoke API (RequestResponse) would. */
    public InvokeResult invoke(String payload) {
        boolean retry;
        synchronized (this) {
            retry = phase == Phase.INIT_TIMED_OUT && !spec.snapStart();
        }
        if (retry) {
            // The retried INIT is an on-demand INIT like the first: it takes every CPU slot (outside the monitor).
            CpuSlots.acquire(CpuSlots.ALL, spec.functionName());
            synchronized (this) {
                if (phase == Phase.INIT_TIMED_OUT) {
                    // Lambda retries INIT inside the first invocation, with the function's timeout.
                    suppressedInit = true;
                    retrySlots.set(true);
                    launch();
                } else {
                    CpuSlots.release(CpuSlots.ALL);
                }
            }
        }
        Invocation inv = new Invocation(payload.getBytes(StandardCharsets.UTF_8));
        if (suppressedInit && phase == Phase.INIT) {
            inv.deadlineEpochMs = System.currentTimeMillis() + spec.timeoutSeconds() * 1000L;
        } else {
            InitResult initResult = awaitInit();
            if (!initResult.succeeded()) {
                throw new AssertionError(spec.functionName() + " cannot be invoked: INIT " + initResult.status() + " "
                        + initResult.reports() + "\n" + logTail(40));
            }
        }
        if (phase == Phase.EXITED || phase == Phase.CLOSED || phase == Phase.INIT_FAILED) {
            throw new AssertionError(spec.functionName() + " cannot be invoked: environment " + phase + "\n" + logTail(40));
        }
        log("INVOKE " + inv.id + " " + Json.abbreviate(payload, 1000));
        pending.add(inv);
        long waitMs = spec.timeoutSeconds() * 1000L + 15_000;
        try {
            return inv.result.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // No answer by the deadline: "Task timed out after N seconds"; Lambda resets the environment.
            String message = String.format(Locale.ROOT, "%s Task timed out after %d.00 seconds", inv.id, spec.timeoutSeconds());
            kill();
            JsonNode error = Json.parse(Json.write(Map.of("errorMessage", message, "errorType", "Sandbox.Timedout")));
            return new InvokeResult(inv.id, Json.write(error), "Unhandled", "Sandbox.Timedout", error, inv.elapsed());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits for the process to end (after an init error, for instance). */
    public Integer awaitExit(Duration timeout) {
        Process p = process;
        try {
            if (p != null && p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return p.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    public Phase phase() {
        return phase;
    }

    public String functionName() {
        return spec.functionName();
    }

    public Spec spec() {
        return spec;
    }

    public String functionArn() {
        return "arn:aws:lambda:" + AwsPlatform.REGION + ":" + AwsPlatform.ACCOUNT + ":function:" + spec.functionName();
    }

    public Set<String> grantedSecrets() {
        return spec.grantedSecrets();
    }

    /** AWS_SESSION_TOKEN of the environment, or null (SnapStart). */
    public String sessionToken() {
        return processEnvironment.get("AWS_SESSION_TOKEN");
    }

    /** The credentials the container credentials endpoint hands this environment (SnapStart). */
    AwsPlatform.IssuedCredentials containerSessionCredentials() {
        return credentials;
    }

    /** Exactly the variables the process was given. */
    public Map<String, String> processEnvironment() {
        return processEnvironment;
    }

    public long pid() {
        return process.pid();
    }

    public int runtimeApiPort() {
        return runtimeApi.getAddress().getPort();
    }

    public List<String> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    public List<String> restoreRecords() {
        synchronized (restoreRecords) {
            return List.copyOf(restoreRecords);
        }
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines of the process's output and the harness's records, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return "--- " + logFile + " (last " + Math.min(lines, all.size()) + " of " + all.size() + " lines) ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void report(String line) {
        reports.add(line);
        log(line);
    }

    private void log(String line) {
        try {
            Files.writeString(logFile, "[harness " + java.time.LocalTime.now() + "] " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // logging is best effort
        }
    }

    private void kill() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends the environment: the process is killed (Lambda's shutdown), the Runtime API stops. */
    @Override
    public void close() {
        LIVE.remove(this);
        releaseRetrySlots();
        synchronized (this) {
            phase = Phase.CLOSED;
        }
        Process p = process;
        if (p != null) {
            p.destroy();
            try {
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
            platform.unregister(p.pid());
        }
        if (initWatchdog != null) {
            initWatchdog.cancel(false);
        }
        runtimeApi.stop(0);
        apiThreads.shutdownNow();
        init.complete(new InitResult(InitStatus.EXIT, Duration.ZERO, null, null, null, reports()));
    }
}
