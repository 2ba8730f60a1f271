package realty.runtimecheck;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import realty.runtimecheck.harness.AwsPlatform;
import realty.runtimecheck.harness.ExecutionEnvironment;
import realty.runtimecheck.harness.ExecutionEnvironment.InitResult;
import realty.runtimecheck.harness.ExecutionEnvironment.InitStatus;
import realty.runtimecheck.harness.ExecutionEnvironment.InvokeResult;
import realty.runtimecheck.harness.LambdaRuntime;
import realty.runtimecheck.harness.LocalCloud;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness itself, checked with a probe handler (not project code) under AWS's runtime interface
 * client: the runtime directory, INIT/INVOKE/restore as the Runtime API sees them, the INIT time
 * limit and Lambda's retry, error reports, the extension's INIT and SnapStart refusals, and the
 * Secrets Manager and credentials stand-ins as the AWS SDK v2 (default chains) uses them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HarnessSelfTest {
    private static final String PROBE = "realty.runtimecheck.fixture.ProbeHandler";
    /** Granted to the probe, but no such secret exists. */
    private static final String GONE = "arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-XyZ123";

    private final AwsPlatform platform = AwsPlatform.shared();
    private final List<ExecutionEnvironment> started = new ArrayList<>();
    private Path taskRoot;
    private String secret;
    private String otherSecret;
    private int extensionPort;

    @BeforeAll
    void taskRoot() throws Exception {
        // The probe's deployment package: its classes at the root, the AWS SDK's jars in lib/.
        taskRoot = Path.of("target", "task-roots", "probe").toAbsolutePath();
        if (Files.exists(taskRoot)) {
            try (Stream<Path> old = Files.walk(taskRoot)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Path classes = Path.of("target", "test-classes", "realty", "runtimecheck", "fixture");
        Path target = Files.createDirectories(taskRoot.resolve("realty/runtimecheck/fixture"));
        try (Stream<Path> files = Files.list(classes)) {
            for (Path f : files.toList()) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        Path lib = Files.createDirectories(taskRoot.resolve("lib"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("/software/amazon/awssdk/") && !entry.contains("/utils-lite/") && !entry.contains("/lambda/")
                    || entry.contains("/org/reactivestreams/") || entry.contains("/software/amazon/eventstream/")
                    || entry.contains("/org/slf4j/slf4j-api/") || entry.contains("/org/postgresql/postgresql/")
                    || entry.contains("/com/rabbitmq/amqp-client/")) {
                Files.copy(Path.of(entry), lib.resolve(Path.of(entry).getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            extensionPort = free.getLocalPort();
        }
        secret = platform.putSecret("probe/secret", Map.of("value", "s3cr3t"));
        otherSecret = platform.putSecret("probe/other", Map.of("value", "not yours"));
    }

    @AfterAll
    void stop() {
        started.forEach(ExecutionEnvironment::close);
        platform.deleteSecret(secret);
        platform.deleteSecret(otherSecret);
    }

    private ExecutionEnvironment probe(String name, boolean snapStart, Map<String, String> env, Duration initLimit) {
        return probe(name, snapStart, env, initLimit, environment -> "probe restore: nothing to break");
    }

    private ExecutionEnvironment probe(String name, boolean snapStart, Map<String, String> variables, Duration initLimit,
                                       ExecutionEnvironment.RestoreHook restore) {
        // An extension port of the probe's own: no clash with a deployment's 2773 or another run on this machine.
        Map<String, String> env = new HashMap<>(variables);
        env.put("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", String.valueOf(extensionPort));
        ExecutionEnvironment e = ExecutionEnvironment.start(new ExecutionEnvironment.Spec("probe-" + name, PROBE, taskRoot, 256, 10,
                snapStart, env, Set.of(secret, GONE), Path.of("target", "runtime-check-logs", "self-test").toAbsolutePath(), initLimit,
                restore));
        started.add(e);
        return e;
    }

    @Test
    void theRuntimeDirectoryHoldsTheClientAndExactlyTheVersionsItDeclares() throws Exception {
        LambdaRuntime runtime = LambdaRuntime.get();
        Path ric = runtime.runtimeInterfaceClientJar();
        assertTrue(ric.getFileName().toString().contains(System.getProperty("realty.ric.version", "2.10.1")), ric.toString());
        Document pom;
        try (ZipFile jar = new ZipFile(ric.toFile());
             InputStream in = jar.getInputStream(jar.getEntry(
                     "META-INF/maven/com.amazonaws/aws-lambda-java-runtime-interface-client/pom.xml"))) {
            pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        NodeList deps = pom.getElementsByTagName("dependency");
        List<String> declared = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            if (!(d.getParentNode() instanceof Element parent) || !parent.getTagName().equals("dependencies")
                    || !(parent.getParentNode() instanceof Element project) || !project.getTagName().equals("project")) {
                continue;
            }
            String scope = text(d, "scope");
            if (scope == null || scope.equals("compile") || scope.equals("runtime")) {
                declared.add(text(d, "artifactId") + "-" + text(d, "version") + ".jar");
            }
        }
        List<String> present = runtime.classpath().stream().map(p -> p.getFileName().toString()).toList();
        assertFalse(declared.isEmpty());
        for (String jar : declared) {
            assertTrue(present.contains(jar), "the runtime directory lacks " + jar + " (the client declares it): " + present);
        }
        assertTrue(Files.isRegularFile(runtime.dir().resolve("lib/jni/libaws-lambda-jni.linux-x86_64.so")));
    }

    private static String text(Element parent, String tag) {
        NodeList n = parent.getElementsByTagName(tag);
        return n.getLength() == 0 ? null : n.item(0).getTextContent().trim();
    }

    @Test
    void onDemandInitThenInvokeWithTheExtensionRefusingInitAndTheSdkServedThroughout() {
        ExecutionEnvironment env = probe("on-demand", false, Map.of("PROBE_SECRET_ARN", secret, "PROBE_SDK", "1"), null);
        InitResult init = env.awaitInit();
        assertEquals(InitStatus.SUCCESS, init.status(), env.logTail(40));
        assertTrue(init.reports().get(0).contains("Phase: init Status: success"), init.reports().toString());

        InvokeResult r = env.invoke("{\"hello\":\"world\"}");
        assertTrue(r.succeeded(), r.payload());
        JsonNode out = r.json();
        assertAll(
                () -> assertTrue(out.at("/init/extension").asText().startsWith("400"),
                        "the extension refuses calls during INIT: " + out.at("/init/extension")),
                () -> assertTrue(out.at("/init/sdk").asText().startsWith("OK"), "Secrets Manager answers during INIT: " + out.at("/init/sdk")),
                () -> assertTrue(out.path("extension").asText().startsWith("200") && out.path("extension").asText().contains("s3cr3t"),
                        "the extension serves during INVOKE with the session token: " + out.path("extension")),
                () -> assertEquals(env.functionArn() + ":live", out.path("functionArn").asText()),
                () -> assertEquals(r.requestId(), out.path("requestId").asText()),
                () -> assertEquals(256, out.path("memory").asInt()),
                () -> assertEquals(taskRoot.toString(), out.path("userDir").asText(), "the task root is the working directory"),
                () -> assertTrue(out.path("remainingMs").asLong() > 5_000 && out.path("remainingMs").asLong() <= 10_000),
                // MaxHeapSize = 85 % of 256 MB = 217 MB; Runtime.maxMemory() leaves out one survivor space of the serial GC
                () -> assertTrue(out.path("maxHeapMb").asLong() >= 195 && out.path("maxHeapMb").asLong() <= 218,
                        "heap = 85 % of 256 MB: " + out.path("maxHeapMb")),
                () -> assertNotNull(env.processEnvironment().get("AWS_SESSION_TOKEN")),
                () -> assertEquals("on-demand", env.processEnvironment().get("AWS_LAMBDA_INITIALIZATION_TYPE")));
    }

    @Test
    void snapStartRunsTheHooksAroundRestoreAndHasNoSessionTokenForTheExtension() {
        ExecutionEnvironment env = probe("snap-start", true, Map.of("PROBE_SECRET_ARN", secret, "PROBE_SDK", "1"), null);
        assertEquals(InitStatus.SUCCESS, env.awaitInit().status(), env.logTail(40));
        InvokeResult r = env.invoke("{}");
        assertTrue(r.succeeded(), r.payload());
        JsonNode out = r.json();
        Map<String, String> vars = env.processEnvironment();
        assertAll(
                () -> assertEquals(List.of("beforeCheckpoint", "afterRestore"),
                        Json.list(out.path("hooks")), "CRaC hooks around /restore/next"),
                () -> assertEquals(List.of("probe restore: nothing to break"), env.restoreRecords()),
                () -> assertNull(vars.get("AWS_SESSION_TOKEN")),
                () -> assertNull(vars.get("AWS_ACCESS_KEY_ID")),
                () -> assertNotNull(vars.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")),
                () -> assertNotNull(vars.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")),
                () -> assertEquals("snap-start", vars.get("AWS_LAMBDA_INITIALIZATION_TYPE")),
                () -> assertTrue(out.at("/init/extension").asText().startsWith("400"), out.at("/init/extension").asText()),
                () -> assertTrue(out.path("extension").asText().startsWith("401"),
                        "no AWS_SESSION_TOKEN under SnapStart, so the extension refuses: " + out.path("extension")),
                () -> assertTrue(out.at("/init/sdk").asText().startsWith("OK"), "container credentials during INIT: " + out.at("/init/sdk")),
                () -> assertTrue(out.path("sdk").asText().startsWith("OK"), "container credentials after restore: " + out.path("sdk")));
    }

    @Test
    void aSnapStartRestoreLeavesNoConnectionFromInitAlive() throws Exception {
        try (LocalCloud cloud = new LocalCloud("self")) {
            Map<String, String> tokens = cloud.tokens();
            Map<String, String> db = cloud.databaseLogin();
            ExecutionEnvironment env = probe("snap-start-connections", true, Map.of("PROBE_JDBC_URL", tokens.get("var.db_jdbc_url"),
                    "PROBE_JDBC_USER", db.get("username"), "PROBE_JDBC_PASSWORD", db.get("password"),
                    "PROBE_AMQP_URI", cloud.amqpUri()), null, cloud::breakConnections);
            assertEquals(InitStatus.SUCCESS, env.awaitInit().status(), env.logTail(40));
            InvokeResult r = env.invoke("{}");
            assertTrue(r.succeeded(), r.payload());
            String record = env.restoreRecords().get(0);
            assertAll(
                    () -> assertTrue(record.contains("PostgreSQL backends terminated: 1"), record),
                    () -> assertTrue(record.contains("RabbitMQ connections closed: 1"), record),
                    () -> assertTrue(r.json().at("/connectionsOpenedInInit/jdbc").asText().startsWith("dead"), r.payload()),
                    () -> assertTrue(r.json().at("/connectionsOpenedInInit/amqp").asText().startsWith("dead"), r.payload()));
        }
    }

    @Test
    void anInitOverTheLimitIsReportedAsATimeoutAndRetriedInsideTheFirstInvocation() {
        ExecutionEnvironment env = probe("slow-init", false, Map.of("PROBE_INIT_SLEEP_MS", "2500"), Duration.ofSeconds(1));
        InitResult init = env.awaitInit();
        assertEquals(InitStatus.TIMEOUT, init.status());
        assertTrue(init.reports().get(0).startsWith("INIT_REPORT Init Duration: 1000.00 ms Phase: init Status: timeout"),
                init.reports().toString());
        InvokeResult r = env.invoke("{}");
        assertTrue(r.succeeded(), r.payload());
        assertTrue(env.reports().stream().anyMatch(l -> l.contains("Phase: invoke Status: success")), env.reports().toString());
        assertTrue(r.duration().toMillis() >= 2500, "the retried INIT counts against the invocation: " + r.duration());
    }

    @Test
    void anInitErrorIsReportedThroughTheRuntimeApiAndTheProcessExits() {
        ExecutionEnvironment env = probe("init-error", false, Map.of("PROBE_INIT_FAIL", "on purpose"), null);
        InitResult init = env.awaitInit();
        assertEquals(InitStatus.ERROR, init.status(), env.logTail(30));
        assertEquals("Runtime.BadFunctionCode", init.errorTypeHeader());
        assertEquals("java.lang.IllegalStateException", init.error().path("errorType").asText());
        assertEquals("probe refuses to start: on purpose", init.error().path("errorMessage").asText());
        assertEquals(1, init.exitCode());
    }

    @Test
    void anInvokeErrorCarriesTypeMessageAndStackTrace() {
        ExecutionEnvironment env = probe("invoke-error", false, Map.of(), null);
        InvokeResult r = env.invoke("{\"fail\":true}");
        assertEquals("Unhandled", r.functionError());
        assertEquals("Runtime.UserException", r.errorTypeHeader());
        assertEquals("java.lang.IllegalArgumentException", r.error().path("errorType").asText());
        assertEquals("probe asked to fail", r.error().path("errorMessage").asText());
        assertTrue(r.error().path("stackTrace").isArray() && r.error().path("stackTrace").size() > 0, r.payload());
        assertTrue(env.invoke("{}").succeeded(), "the environment keeps serving after a handled error");
    }

    @Test
    void secretsManagerDeniesWhatTheRoleDoesNotGrantAndChecksTheSignature() {
        ExecutionEnvironment env = probe("iam", false, Map.of("PROBE_SECRET_ARN", otherSecret, "PROBE_SDK", "1"), null);
        InvokeResult r = env.invoke("{}");
        assertTrue(r.succeeded(), r.payload());
        assertTrue(r.json().path("sdk").asText().contains("AccessDeniedException")
                        || r.json().path("sdk").asText().contains("not authorized"),
                "an ungranted secret is denied: " + r.json().path("sdk"));

        Map<String, String> vars = env.processEnvironment();
        try (SecretsManagerClient forged = SecretsManagerClient.builder().region(Region.US_EAST_1)
                .endpointOverride(platform.secretsManagerEndpoint()).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        vars.get("AWS_ACCESS_KEY_ID"), "not-the-secret-key", vars.get("AWS_SESSION_TOKEN")))).build()) {
            SecretsManagerException e = assertThrows(SecretsManagerException.class, () -> forged.getSecretValue(b -> b.secretId(secret)));
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
        }
        try (SecretsManagerClient right = SecretsManagerClient.builder().region(Region.US_EAST_1)
                .endpointOverride(platform.secretsManagerEndpoint()).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        vars.get("AWS_ACCESS_KEY_ID"), vars.get("AWS_SECRET_ACCESS_KEY"), vars.get("AWS_SESSION_TOKEN")))).build()) {
            SecretsManagerException e = assertThrows(SecretsManagerException.class,
                    () -> right.getSecretValue(b -> b.secretId("arn:aws:secretsmanager:us-east-1:123456789012:secret:nope-AbCdEf")));
            assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode(), "IAM is checked before existence");
            SecretsManagerException gone = assertThrows(SecretsManagerException.class, () -> right.getSecretValue(b -> b.secretId(GONE)));
            assertEquals("ResourceNotFoundException", gone.awsErrorDetails().errorCode());
            Map<String, String> granted = new HashMap<>();
            granted.put("value", right.getSecretValue(b -> b.secretId(secret)).secretString());
            assertTrue(granted.get("value").contains("s3cr3t"));
        }
    }

    /** Small JSON helper for the assertions. */
    static final class Json {
        static List<String> list(JsonNode array) {
            List<String> out = new ArrayList<>();
            array.forEach(n -> out.add(n.asText()));
            return out;
        }
    }
}
