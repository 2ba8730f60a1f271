package realty.runtimecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.GetResponse;
import jakarta.mail.Address;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import realty.runtimecheck.harness.AwsPlatform;
import realty.runtimecheck.harness.CpuSlots;
import realty.runtimecheck.harness.DeploymentSource;
import realty.runtimecheck.harness.Events;
import realty.runtimecheck.harness.ExecutionEnvironment;
import realty.runtimecheck.harness.ExecutionEnvironment.InitResult;
import realty.runtimecheck.harness.ExecutionEnvironment.InvokeResult;
import realty.runtimecheck.harness.Json;
import realty.runtimecheck.harness.LocalCloud;
import realty.runtimecheck.harness.TaskRoots;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every built Lambda jar, deployed as {@link #source()} declares it, started in its own JVM under
 * AWS's runtime interface client (see {@link ExecutionEnvironment}), on a fresh database and virtual
 * host of local-infra's PostgreSQL and RabbitMQ, with the secrets in the Secrets Manager stand-in.
 *
 * <p>Order follows a real deployment: every version is published first, which is when Lambda runs
 * the INIT of the SnapStart api and snapshots it (before any migration); the deploy task then
 * migrates and declares the topology in its invocation; the other functions start on demand after
 * it. The tests run in order and hand their results on (the user the API created is the event the
 * relay, audit and notification functions see).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DeployedFunctionsTest {
    static final String API = "realty.api.ApiFunction";
    static final String RELAY = "realty.api.outbox.OutboxRelayFunction";
    static final String DEPLOY = "realty.api.deploy.DeployTaskFunction";
    static final String AUDIT = "realty.audit.AuditFunction";
    static final String COMMISSION = "realty.commission.CommissionFunction";
    static final String NOTIFICATION = "realty.notification.NotificationFunction";
    static final String HOUSEKEEPING = "realty.notification.HousekeepingFunction";
    static final Set<String> HANDLERS = Set.of(API, RELAY, DEPLOY, AUDIT, COMMISSION, NOTIFICATION, HOUSEKEEPING);

    /** Variables Lambda sets (ExecutionEnvironment), besides the deployment's. */
    private static final Set<String> PLATFORM_VARIABLES = Set.of("_HANDLER", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV",
            "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API",
            "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ", "LANG", "PATH", "LD_LIBRARY_PATH",
            ExecutionEnvironment.SECRETS_MANAGER_ENDPOINT_VARIABLE);
    private static final Set<String> ACCESS_KEY_VARIABLES = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");
    private static final Set<String> CONTAINER_CREDENTIAL_VARIABLES = Set.of("AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN");

    private final AwsPlatform platform = AwsPlatform.shared();
    private final Map<String, CompletableFuture<ExecutionEnvironment>> environments = new ConcurrentHashMap<>();
    /** Every environment started, for the tear-down (whatever state its start is in). */
    private final List<ExecutionEnvironment> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * On-demand environments are started one at a time, each when the previous one's INIT ended: in
     * Lambda every environment has CPU of its own, which two cores shared by concurrent INITs would
     * not model (the 10 s limit would measure this machine's contention). Across the suites, which
     * run concurrently, {@link CpuSlots} keeps an on-demand INIT alone.
     */
    private final ExecutorService initQueue = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "init-queue");
        t.setDaemon(true);
        return t;
    });
    private LocalCloud cloud;
    private Map<String, String> tokens;
    private Path logDir;

    // handed on from test to test
    private boolean migrated;
    private String adminToken;
    private String ownerToken;
    private String ownerEmail;
    private UUID company;
    private UUID userCreated;
    private List<UUID> soldProperties = List.of();

    abstract DeploymentSource source();

    @BeforeAll
    void publish() throws Exception {
        String name = source().name().toLowerCase(Locale.ROOT);
        logDir = Path.of("target", "runtime-check-logs", name).toAbsolutePath();
        // Every deployment package extracted before any INIT starts (extraction is not part of INIT),
        // while the database, virtual host and secrets are made.
        long begin = System.nanoTime();
        CompletableFuture<Void> extracted = TaskRoots.extractAll(source().functions().stream()
                .map(DeploymentSource.Function::artifact).collect(Collectors.toSet()));
        cloud = new LocalCloud(name.substring(0, 3));
        tokens = cloud.tokens();
        System.out.println("[runtime-check] " + source() + ": " + cloud + "; logs in " + logDir);
        extracted.join();
        System.out.printf("[runtime-check] %s: local cloud made and packages extracted in %d ms%n", source(),
                (System.nanoTime() - begin) / 1_000_000);
        // Publishing a version runs the INIT of a SnapStart function and snapshots it, before the deploy
        // task is invoked (Terraform's aws_lambda_invocation, after every function's version exists).
        environments.put("api", CompletableFuture.completedFuture(start("api", API, UnaryOperator.identity(), UnaryOperator.identity())));
        // The other SnapStart functions' versions too: their INIT and priming run on the unmigrated database.
        // The relay of the broker-outage scenario is such a version too (published with the others, so
        // its test, the longest of the suite, need not wait for its INIT after the API steps).
        Map<String, String> snapStartLabels = new LinkedHashMap<>();
        snapStartLabels.put("relay-broker-down", RELAY);
        snapStartLabels.put("relay", RELAY);
        snapStartLabels.put("audit", AUDIT);
        snapStartLabels.put("commission", COMMISSION);
        snapStartLabels.put("notification", NOTIFICATION);
        snapStartLabels.forEach((label, handler) -> {
            if (source().function(handler).snapStart()) {
                prestart(label);
            }
        });
        prestart("deploy");
    }

    @AfterAll
    void tearDown() {
        initQueue.shutdownNow();
        for (ExecutionEnvironment e : started) {
            System.out.println("[runtime-check] " + e.functionName() + ": " + e.reports());
        }
        started.forEach(ExecutionEnvironment::close);
        if (cloud != null) {
            cloud.close();
        }
    }

    // --- the deployment as a whole ------------------------------------------------------------------

    @Test
    @Order(0)
    void theDeploymentDeclaresTheSevenFunctionsAndEveryValueResolvesLocally() {
        List<DeploymentSource.Function> functions = source().functions();
        assertEquals(HANDLERS, functions.stream().map(DeploymentSource.Function::handler).collect(Collectors.toSet()),
                "the functions this suite runs are exactly the deployment's");
        for (DeploymentSource.Function f : functions) {
            Map<String, String> env = source().environment(f, tokens);
            Set<String> granted = source().grantedSecrets(f, tokens);
            assertAll(f.toString(),
                    () -> assertTrue(Files.isRegularFile(f.artifact()), "deployment package " + f.artifact()),
                    () -> assertFalse(env.isEmpty()),
                    () -> assertFalse(granted.isEmpty()),
                    () -> env.forEach((k, v) -> {
                        if (k.endsWith("_SECRET_ARN")) {
                            assertTrue(granted.contains(v), f + ": " + k + " names a secret the role is not granted");
                        }
                    }));
        }
    }

    // --- deploy task ---------------------------------------------------------------------------------

    @Test
    @Order(1)
    void deployTaskInitialisesWithoutMigratingThenMigratesAndDeclaresTheTopologyInItsInvocation() throws Exception {
        ExecutionEnvironment deploy = environment("deploy");
        InvokeResult r;
        try {
            assertInitialised(deploy);
            assertExactEnvironment(deploy, "deploy");
            assertFalse(cloud.tableExists("flyway_schema_history"),
                    "the deploy task ran Flyway during INIT (10 s limit); migrations belong in its invocation");
            // The migrations are a burst like an INIT: the invocation holds a CPU slot, so no on-demand INIT runs beside it.
            r = CpuSlots.holdingOne(deploy.functionName() + " invocation", () -> deploy.invoke(source().deployTaskInput(tokens)));
        } finally {
            // The on-demand functions start after the deploy task, in the order the tests need them.
            for (String label : List.of("relay-broker-down", "relay", "audit", "commission", "notification", "audit-db-secret-not-granted")) {
                prestart(label);
            }
        }
        assertSucceeded(deploy, r);
        assertTrue(cloud.tableExists("flyway_schema_history"), "the invocation applied the migrations");
        assertEquals(0, cloud.count("SELECT count(*) FROM flyway_schema_history WHERE NOT success"));
        assertTrue(cloud.count("SELECT count(*) FROM flyway_schema_history WHERE success") > 0);
        for (String table : List.of("outbox_events", "consumer_outcomes", "audit_logs", "commission_transactions", "sent_notifications")) {
            assertTrue(cloud.tableExists(table), "table " + table + " after the deploy task");
        }
        List<String> queues = cloud.queueNames();
        for (String queue : source().workQueues().keySet()) {
            assertTrue(queues.contains(queue), "work queue " + queue + " (consumed by the deployment's event source) declared: " + queues);
            assertTrue(queues.contains(queue + ".dlq"), "dead-letter queue " + queue + ".dlq declared: " + queues);
        }
        migrated = true;
    }

    // --- api (SnapStart) -------------------------------------------------------------------------------

    @Test
    @Order(2)
    void apiIsSnapshottedThenRestoredWithItsConnectionsBrokenAndStillAnswers() throws Exception {
        ExecutionEnvironment api = environment("api");
        DeploymentSource.Function f = source().function(API);
        assertTrue(f.snapStart(), "the api is deployed with SnapStart");
        InitResult init = assertInitialised(api);
        assertTrue(init.reports().stream().anyMatch(l -> l.contains("snapshot taken")),
                "a SnapStart function's INIT ends at /restore/next: " + init.reports());
        assertExactEnvironment(api, "api");
        // realty.api.SnapStartPriming ran in the runtime's beforeCheckpoint hooks: public routes only, nothing refused.
        String log = Files.readString(api.logFile());
        assertTrue(log.contains("SnapStart priming: 3 requests") && log.contains("statuses [200, 200, 404]"),
                "the api primes its snapshot before the checkpoint: " + api.logTail(20));
        // In Lambda the functions log JSON lines (realty.core.observability.LogConfigurator, keyed on AWS_LAMBDA_FUNCTION_NAME).
        String priming = log.lines().filter(l -> l.contains("SnapStart priming: 3 requests")).findFirst().orElseThrow();
        JsonNode line = Json.parse(priming);
        assertEquals("INFO", line.path("level").asText(), priming);
        assertTrue(line.path("loggerName").asText().startsWith("realty.api.") && line.path("message").asText().startsWith("SnapStart priming"),
                "a JSON line with the logger and the message as fields: " + priming);
        assertEquals(1, api.restoreRecords().size(), "restored once: " + api.restoreRecords());
        assumeTrue(migrated, "the deploy task did not migrate");

        ApiResponse health = call("GET", "/health", null, null);
        assertEquals(200, health.status(), health.toString());
        assertEquals("UP", health.body().path("database").asText(), health.toString());
        assertEquals("UP", health.body().path("broker").asText(), health.toString());
    }

    @Test
    @Order(3)
    void apiLogsInThePlatformAdminFromTheSecretAndCreatesACompanyAndItsOwner() throws Exception {
        assumeTrue(environment("api").awaitInit().succeeded() && migrated, "api or deploy task failed");
        ApiResponse login = call("POST", "/api/v1/auth/login", null,
                Map.of("username", LocalCloud.ADMIN_USERNAME, "password", cloud.adminPassword()));
        assertEquals(200, login.status(), login.toString());
        adminToken = login.body().path("access_token").asText();
        assertFalse(adminToken.isBlank());

        ApiResponse created = call("POST", "/api/v1/companies", adminToken, Map.of("name", "Runtime Check Imóveis"));
        assertEquals(201, created.status(), created.toString());
        company = UUID.fromString(created.body().path("id").asText());

        ownerEmail = "owner-" + UUID.randomUUID().toString().substring(0, 8) + "@runtime-check.realty.test";
        ApiResponse owner = call("POST", "/api/v1/users", adminToken, Map.of("email", ownerEmail, "name", "Owner Runtime",
                "password", "a-long-password", "profiles", List.of("owner"), "companyIds", List.of(company.toString())));
        assertEquals(201, owner.status(), owner.toString());
        for (JsonNode event : owner.body().path("events")) {
            if ("user.created".equals(event.path("type").asText())) {
                userCreated = UUID.fromString(event.path("id").asText());
                assertEquals("PUBLISHED", event.path("status").asText(), "published right after the commit: " + owner);
            }
        }
        assertNotNull(userCreated, "user.created in " + owner);
        ApiResponse ownerLogin = call("POST", "/api/v1/auth/login", null, Map.of("username", ownerEmail, "password", "a-long-password"));
        assertEquals(200, ownerLogin.status(), ownerLogin.toString());
        ownerToken = ownerLogin.body().path("access_token").asText();
    }

    @Test
    @Order(4)
    void apiRecordsABulkSaleAndAsksForItsCommissionSplit() throws Exception {
        assumeTrue(ownerToken != null, "no owner (an earlier API step failed)");
        UUID agent = UUID.randomUUID();
        UUID prospector = UUID.randomUUID();
        cloud.execute("INSERT INTO agents (id, company_id, user_id, name) VALUES (?, ?, NULL, 'Agent Runtime'), (?, ?, NULL, 'Prospector Runtime')",
                agent, company, prospector, company);
        ApiResponse rule = call("POST", "/api/v1/commission-rules", ownerToken, Map.of("agentId", agent.toString(),
                "transactionType", "sale", "structure", "percentage", "percentage", 6, "validFrom", "2020-01-01"));
        assertEquals(201, rule.status(), rule.toString());
        List<UUID> props = new ArrayList<>();
        for (Object id : cloud.column("""
                INSERT INTO properties (id, company_id, reference_code, title, type, price, agent_id, prospector_id, created_by)
                SELECT gen_random_uuid(), ?, 'RC-' || g, 'Property ' || g, 'house', 500000, ?, ?, 'runtime-check'
                FROM generate_series(1, 2) g RETURNING id""", company, agent, prospector)) {
            props.add((UUID) id);
        }
        List<Map<String, Object>> sales = props.stream().map(p -> Map.<String, Object>of("propertyId", p.toString(),
                "salePrice", 500000, "saleDate", "2024-06-01", "buyerName", "Buyer")).toList();
        ApiResponse bulk = call("POST", "/api/v1/sales/bulk", ownerToken, Map.of("sales", sales));
        assertEquals(202, bulk.status(), bulk.toString());
        assertTrue(bulk.body().toString().contains("commission.split.requested"), bulk.toString());
        soldProperties = props;
    }

    // --- outbox relay -----------------------------------------------------------------------------------

    @Test
    @Order(5)
    void relayReportsAnInvokeErrorWhileTheBrokerIsUnreachableThenPublishesThePendingRows() throws Exception {
        ExecutionEnvironment broken = environment("relay-broker-down");
        ExecutionEnvironment relay = environment("relay");
        assertInitialised(broken);
        assertInitialised(relay);
        assertExactEnvironment(relay, "relay");
        assertSnapshotTakenAndRestoredOnce(relay, RELAY);
        assumeTrue(userCreated != null, "no event from the API to relay");
        // The API published user.created at once; make it pending again, as if the API had died after its commit.
        assertEquals(1, cloud.execute("UPDATE outbox_events SET status = 'PENDING', published_at = NULL, "
                + "occurred_at = occurred_at - interval '1 minute' WHERE id = ?", userCreated));
        String schedule = source().relayScheduleInput(source().function(RELAY));

        InvokeResult failed = broken.invoke(schedule);
        assertFalse(failed.succeeded(), "the relay must fail its invocation while the broker is unreachable: " + failed.payload());
        assertEquals("Unhandled", failed.functionError());
        assertEquals("Runtime.UserException", failed.errorTypeHeader(), failed.payload());
        assertFalse(failed.error().path("errorType").asText().isBlank(), failed.payload());
        assertFalse(failed.error().path("errorMessage").asText().isBlank(), failed.payload());
        assertTrue(failed.error().path("stackTrace").isArray() && !failed.error().path("stackTrace").isEmpty(),
                "Lambda shows the stack trace of an invoke error: " + failed.payload());
        assertEquals("PENDING", cloud.value("SELECT status FROM outbox_events WHERE id = ?", userCreated));

        InvokeResult ok = relay.invoke(schedule);
        assertSucceeded(relay, ok);
        assertEquals("PUBLISHED", cloud.value("SELECT status FROM outbox_events WHERE id = ?", userCreated),
                "the relay publishes the pending row: " + ok.payload());
    }

    // --- queue functions --------------------------------------------------------------------------------

    @Test
    @Order(6)
    void auditWritesOneAuditLogRowPerDeliveredEvent() throws Exception {
        ExecutionEnvironment audit = environment("audit");
        assertInitialised(audit);
        assertQueueSnapshotPrimed(audit, AUDIT, "audit");
        assertExactEnvironment(audit, "audit");
        List<UUID> ids = deliver(audit, AUDIT);
        assertTrue(ids.contains(userCreated), "user.created reached audit_events");
        Array array = uuidArray(ids);
        assertEquals(ids.size(), cloud.count("SELECT count(*) FROM audit_logs WHERE event_id = ANY(?)", array),
                "one audit_logs row per delivered event " + ids);
        assertEquals(ids.size(), cloud.count(
                "SELECT count(*) FROM consumer_outcomes WHERE consumer = 'audit' AND status = 'PROCESSED' AND event_id = ANY(?)", array));
    }

    @Test
    @Order(7)
    void commissionSplitsTheBulkSalesIntoTransactions() throws Exception {
        ExecutionEnvironment commission = environment("commission");
        assertInitialised(commission);
        assertQueueSnapshotPrimed(commission, COMMISSION, "commission");
        List<UUID> ids = deliver(commission, COMMISSION);
        assumeTrue(!soldProperties.isEmpty(), "no bulk sale was recorded");
        assertEquals(1, ids.size(), "one commission.split.requested for the bulk: " + ids);
        assertEquals(4, cloud.count("""
                SELECT count(*) FROM commission_transactions t JOIN sales s ON s.id = t.sale_id WHERE s.property_id = ANY(?)""",
                uuidArray(soldProperties)), "agent and prospector parts of both sales");
        assertEquals(0, cloud.count("SELECT count(*) FROM sales WHERE property_id = ANY(?) AND commission_status <> 'calculated'",
                uuidArray(soldProperties)));
    }

    @Test
    @Order(8)
    void notificationMailsTheNewUserThroughTheSmtpRelayAndRecordsIt() throws Exception {
        ExecutionEnvironment notification = environment("notification");
        assertInitialised(notification);
        assertQueueSnapshotPrimed(notification, NOTIFICATION, "notification");
        assertExactEnvironment(notification, "notification");
        List<UUID> ids = deliver(notification, NOTIFICATION);
        assertTrue(ids.contains(userCreated), "user.created reached notification_events");
        List<String> recipients = new ArrayList<>();
        for (MimeMessage m : cloud.mails()) {
            for (Address a : m.getAllRecipients()) {
                recipients.add(((InternetAddress) a).getAddress());
            }
        }
        assertEquals(1, recipients.stream().filter(ownerEmail::equalsIgnoreCase).count(),
                "one welcome mail to " + ownerEmail + " (the redelivered copy is a duplicate): " + recipients);
        assertTrue(cloud.count("SELECT count(*) FROM sent_notifications WHERE lower(recipient_email) = lower(?)", ownerEmail) >= 1,
                "the mail ledger records it");
        assertEquals(1, cloud.count("SELECT count(*) FROM consumer_outcomes WHERE consumer = 'notification' AND status = 'PROCESSED' "
                + "AND event_id = ?", userCreated));
    }

    // --- an init error, as Lambda shows it -------------------------------------------------------------

    @Test
    @Order(9)
    void aFunctionWhoseRoleIsNotGrantedItsDatabaseSecretReportsAnInitErrorAndExits() {
        ExecutionEnvironment env = environment("audit-db-secret-not-granted");
        InitResult init = env.awaitInit();
        String dbSecret = cloud.secretArn("database");
        String requests = platform.requestsOf(env.functionName()).toString();
        assertEquals(ExecutionEnvironment.InitStatus.ERROR, init.status(),
                "expected /init/error then exit; got " + describe(init) + "\nsecret requests: " + requests + "\n" + env.logTail(40));
        assertTrue(platform.requestsOf(env.functionName()).stream().anyMatch(q -> q.secretId().equals(dbSecret)
                        && q.outcome().equals("AccessDeniedException")),
                "Secrets Manager (IAM) refused the database secret during INIT: " + requests);
        assertEquals("Runtime.BadFunctionCode", init.errorTypeHeader());
        String type = init.error().path("errorType").asText();
        String message = init.error().path("errorMessage").asText();
        assertFalse(type.isBlank(), describe(init));
        assertFalse(message.isBlank(), describe(init));
        assertTrue((type + " " + message).contains(dbSecret) || (type + message).contains("AccessDenied")
                        || message.contains("not authorized"),
                "the init error names the refused secret or the denial: " + describe(init));
        assertNotNull(init.exitCode());
        assertTrue(init.exitCode() != 0, "the runtime exits after an init error");
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /** A SnapStart function's INIT ended in the snapshot, and the environment was restored from it once. */
    private void assertSnapshotTakenAndRestoredOnce(ExecutionEnvironment env, String handler) {
        assertTrue(source().function(handler).snapStart(), handler + " is deployed with SnapStart");
        InitResult init = env.awaitInit();
        assertTrue(init.reports().stream().anyMatch(l -> l.contains("snapshot taken")),
                "a SnapStart function's INIT ends at /restore/next: " + init.reports());
        assertEquals(1, env.restoreRecords().size(), "restored once: " + env.restoreRecords());
    }

    /**
     * The queue function's priming ran in the runtime's beforeCheckpoint hooks, before the deploy
     * task migrated: every event type of its queue decoded and checked, nothing read from the schema.
     */
    private void assertQueueSnapshotPrimed(ExecutionEnvironment env, String handler, String function) throws Exception {
        assertSnapshotTakenAndRestoredOnce(env, handler);
        String log = Files.readString(env.logFile());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("SnapStart priming \\(" + function
                + "\\): (\\d+) event types decoded \\((\\d+) envelopes, (\\d+) payloads checked\\), batch handler built").matcher(log);
        assertTrue(m.find(), function + " primes its snapshot before the checkpoint: " + env.logTail(20));
        assertTrue(Integer.parseInt(m.group(1)) > 0, m.group());
        assertEquals(m.group(1), m.group(2), "every envelope decoded: " + m.group());
        assertEquals(m.group(1), m.group(3), "every payload checked: " + m.group());
    }

    /** Label → handler, and what differs from the deployment for the two error scenarios. */
    private ExecutionEnvironment start(String label, String handler, UnaryOperator<Map<String, String>> tokenChange,
                                       UnaryOperator<Set<String>> grantChange) {
        DeploymentSource.Function f = source().function(handler);
        Map<String, String> localTokens = tokenChange.apply(new LinkedHashMap<>(tokens));
        Map<String, String> env = source().environment(f, localTokens);
        Set<String> granted = grantChange.apply(new LinkedHashSet<>(source().grantedSecrets(f, tokens)));
        String name = "realty-" + source().name().toLowerCase(Locale.ROOT) + "-" + label;
        ExecutionEnvironment e = ExecutionEnvironment.start(new ExecutionEnvironment.Spec(name, f.handler(), TaskRoots.of(f.artifact()),
                f.memoryMb(), f.timeoutSeconds(), f.snapStart(), env, Set.copyOf(granted), logDir, null,
                f.snapStart() ? cloud::breakConnections : null));
        started.add(e);
        return e;
    }

    /** Queues the start of an environment (see {@link #initQueue}); the api is started directly. */
    private void prestart(String label) {
        environments.computeIfAbsent(label, l -> CompletableFuture.supplyAsync(() -> {
            ExecutionEnvironment e = create(l);
            e.awaitInit();
            return e;
        }, initQueue));
    }

    private ExecutionEnvironment create(String label) {
        return switch (label) {
            case "deploy" -> {
                environment("api").awaitInit(); // the api's version (and snapshot) is published first
                yield start(label, DEPLOY, UnaryOperator.identity(), UnaryOperator.identity());
            }
            case "relay" -> start(label, RELAY, UnaryOperator.identity(), UnaryOperator.identity());
            // The broker endpoint answers nothing (an Amazon MQ outage); the variables are the deployment's.
            case "relay-broker-down" -> start(label, RELAY, t -> {
                String dead = "amqp://127.0.0.1:" + freePort();
                t.put("var.amqp_uri", dead);
                t.put("!Ref AmqpUri", dead);
                return t;
            }, UnaryOperator.identity());
            case "audit" -> start(label, AUDIT, UnaryOperator.identity(), UnaryOperator.identity());
            case "commission" -> start(label, COMMISSION, UnaryOperator.identity(), UnaryOperator.identity());
            case "notification" -> start(label, NOTIFICATION, UnaryOperator.identity(), UnaryOperator.identity());
            // The execution role's policy lacks the database secret (IAM), everything else as deployed.
            case "audit-db-secret-not-granted" -> start(label, AUDIT, UnaryOperator.identity(), g -> {
                g.remove(cloud.secretArn("database"));
                return g;
            });
            default -> throw new IllegalArgumentException(label);
        };
    }

    private ExecutionEnvironment environment(String label) {
        prestart(label);
        try {
            return environments.get(label).get(5, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new AssertionError("could not start " + label + ": " + e, e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private InitResult assertInitialised(ExecutionEnvironment env) {
        InitResult init = env.awaitInit();
        if (!init.succeeded()) {
            fail(env.functionName() + " did not initialise: " + describe(init) + "\nsecret requests: "
                    + platform.requestsOf(env.functionName()) + "\nload average of this machine: " + loadAverage()
                    + "\n" + env.logTail(60));
        }
        assertTrue(init.duration().compareTo(env.initLimit()) <= 0, init.reports().toString());
        return init;
    }

    /** For INIT timeouts: other work on the machine slows an INIT that Lambda would give CPU of its own. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim() + " (" + java.lang.Runtime.getRuntime().availableProcessors() + " CPUs)";
        } catch (Exception e) {
            return "unknown";
        }
    }

    static String describe(InitResult init) {
        StringBuilder b = new StringBuilder(String.valueOf(init.status()));
        if (init.errorTypeHeader() != null) {
            b.append(" [").append(init.errorTypeHeader()).append(']');
        }
        if (init.error() != null) {
            b.append(" errorType=").append(init.error().path("errorType").asText())
                    .append(" errorMessage=").append(init.error().path("errorMessage").asText());
        }
        if (init.exitCode() != null) {
            b.append(" exit status ").append(init.exitCode());
        }
        b.append(' ').append(init.reports());
        return b.toString();
    }

    private void assertSucceeded(ExecutionEnvironment env, InvokeResult r) {
        if (!r.succeeded()) {
            fail(env.functionName() + " invocation failed: " + r.errorTypeHeader() + " " + r.payload() + "\n" + env.logTail(60));
        }
    }

    /** Exactly the deployment's variables (tokens resolved) plus what Lambda sets. */
    private void assertExactEnvironment(ExecutionEnvironment env, String label) {
        DeploymentSource.Function f = source().function(env.spec().handler());
        Map<String, String> deployment = source().environment(f, tokens);
        Set<String> expected = new TreeSet<>(deployment.keySet());
        expected.addAll(PLATFORM_VARIABLES);
        expected.addAll(f.snapStart() ? CONTAINER_CREDENTIAL_VARIABLES : ACCESS_KEY_VARIABLES);
        assertEquals(expected, new TreeSet<>(env.processEnvironment().keySet()), label + ": the process's variables");
        deployment.forEach((k, v) -> assertEquals(v, env.processEnvironment().get(k), label + ": " + k));
    }

    /** The response of the api to one API Gateway request. */
    record ApiResponse(int status, JsonNode body, String raw) {
    }

    private ApiResponse call(String method, String path, String token, Object body) {
        ExecutionEnvironment api = environment("api");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("accept", "application/json");
        if (token != null) {
            headers.put("authorization", "Bearer " + token);
        }
        String event = Events.apiRequest(source().apiRouteKey(source().function(API)), method, path, headers,
                body == null ? null : Json.write(body));
        InvokeResult r = api.invoke(event);
        assertSucceeded(api, r);
        JsonNode response = r.json();
        String text = response.path("body").asText("");
        if (response.path("isBase64Encoded").asBoolean(false)) {
            text = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
        }
        JsonNode parsed = text.isBlank() ? Json.object() : text.startsWith("{") || text.startsWith("[") ? Json.parse(text) : Json.object();
        return new ApiResponse(response.path("statusCode").asInt(), parsed, Json.abbreviate(text, 2000));
    }

    /**
     * What the Amazon MQ event source does: take a batch off the function's work queue, invoke the
     * function with it, acknowledge the batch when the invocation succeeds (requeue it otherwise).
     *
     * @return the ids of the delivered events
     */
    private List<UUID> deliver(ExecutionEnvironment env, String handler) throws Exception {
        DeploymentSource.Function f = source().function(handler);
        String queue = source().workQueues().entrySet().stream().filter(e -> e.getValue().equals(f.key())).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError(f + " consumes no work queue in the deployment"));
        // Up to 100 messages, the event source's default batch size (plenty for the few events here).
        try (LocalCloud.Batch batch = cloud.take(queue, 100)) {
            assumeTrue(!batch.deliveries().isEmpty(), "nothing in " + queue + " (the API steps failed)");
            String event = Events.rabbitMqBatch(queue, cloud.vhost(), batch.deliveries());
            InvokeResult r = env.invoke(event);
            if (r.succeeded()) {
                batch.ack();
            } else {
                batch.requeue();
            }
            assertSucceeded(env, r);
            assertTrue(r.payload().isBlank() || r.payload().equals("null"),
                    "a queue function answers nothing (the event source ignores it): " + r.payload());
            List<UUID> ids = new ArrayList<>();
            for (GetResponse g : batch.deliveries()) {
                UUID id = UUID.fromString(g.getProps().getMessageId());
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
            return ids;
        }
    }

    private Array uuidArray(List<UUID> ids) throws Exception {
        try (var c = cloud.sql()) {
            return c.createArrayOf("uuid", ids.toArray());
        }
    }
}
