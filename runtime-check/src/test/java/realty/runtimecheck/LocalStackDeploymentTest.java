package realty.runtimecheck;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import realty.runtimecheck.harness.DeploymentSource;
import realty.runtimecheck.harness.Events;
import realty.runtimecheck.harness.Json;
import realty.runtimecheck.harness.LocalCloud;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jars deployed to LocalStack's Lambda, with LocalStack's Secrets Manager holding the secrets,
 * as {@code infra/modules/functions} declares them (handler, memory, timeout, environment), and
 * invoked through Lambda's Invoke API.
 *
 * <p><b>Honestly:</b> this needs a Docker engine (LocalStack runs in a container and starts one
 * container per function through the host's Docker socket). Where no engine answers, Testcontainers
 * disables the class ("disabledWithoutDocker is true and Docker is not available"), which is the
 * case on this repository's build machines: it has been compiled, never run, here. What proves the
 * jars under Lambda's lifecycle on those machines is {@link TerraformFunctionsTest} and
 * {@link SamFunctionsTest} (AWS's runtime interface client, Runtime API, INIT limit, SnapStart
 * restore, Secrets Manager with IAM). LocalStack adds Lambda's own deployment path (a zip upload, a
 * container image of the java17 runtime) but, in its community edition, neither SnapStart nor IAM
 * enforcement, so it cannot replace them.
 *
 * <p>The functions reach PostgreSQL and RabbitMQ (Testcontainers containers, where Docker runs) via
 * {@code host.docker.internal} on the host's mapped ports; the notification function is left out
 * (the SMTP sink listens on loopback only).
 */
@Testcontainers(disabledWithoutDocker = true)
// Alone, not beside the other classes (junit-platform.properties): its containers would crowd their INITs.
@Isolated
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackDeploymentTest {
    private static final DeploymentSource SOURCE = DeploymentSource.TERRAFORM;
    private static final String HOST_FROM_CONTAINERS = "host.docker.internal";

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
            .withServices(LocalStackContainer.Service.LAMBDA, LocalStackContainer.Service.SECRETSMANAGER)
            // LocalStack's Lambda starts the function containers through the host's engine ...
            .withFileSystemBind("/var/run/docker.sock", "/var/run/docker.sock", BindMode.READ_WRITE)
            // ... which must reach the host's mapped PostgreSQL and RabbitMQ ports.
            .withEnv("LAMBDA_DOCKER_FLAGS", "--add-host=" + HOST_FROM_CONTAINERS + ":host-gateway")
            .withEnv("LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT", "120");

    private LocalCloud cloud;
    private LambdaClient lambda;
    private Map<String, String> tokens;
    private String adminToken;

    @BeforeAll
    void deploy() throws Exception {
        cloud = new LocalCloud("ls");
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
        Region region = Region.of(LOCALSTACK.getRegion());
        lambda = LambdaClient.builder().endpointOverride(LOCALSTACK.getEndpoint()).region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
        Map<String, String> arns = new LinkedHashMap<>();
        try (SecretsManagerClient sm = SecretsManagerClient.builder().endpointOverride(LOCALSTACK.getEndpoint()).region(region)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build()) {
            cloud.secretValues().forEach((which, json) -> arns.put(which,
                    sm.createSecret(r -> r.name("realty-ls/" + which).secretString(Json.write(json))).arn()));
        }
        tokens = new LinkedHashMap<>();
        cloud.tokens().forEach((token, value) -> tokens.put(token, value.replace("localhost", HOST_FROM_CONTAINERS)
                .replace("127.0.0.1", HOST_FROM_CONTAINERS)));
        for (String which : arns.keySet()) {
            String variable = switch (which) {
                case "database" -> "db_secret_arn";
                case "broker" -> "broker_secret_arn";
                case "jwt" -> "jwt_secret_arn";
                case "platform-admin" -> "platform_admin_secret_arn";
                case "invitations" -> "invitation_secret_arn";
                default -> "smtp_secret_arn";
            };
            tokens.put("var." + variable, arns.get(which));
        }
        for (String handler : List.of(DeployedFunctionsTest.DEPLOY, DeployedFunctionsTest.API, DeployedFunctionsTest.RELAY,
                DeployedFunctionsTest.AUDIT)) {
            create(SOURCE.function(handler));
        }
    }

    @AfterAll
    void stop() {
        if (lambda != null) {
            lambda.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    private void create(DeploymentSource.Function f) throws Exception {
        byte[] jar = Files.readAllBytes(f.artifact());
        Map<String, String> env = SOURCE.environment(f, tokens);
        lambda.createFunction(r -> r.functionName(name(f)).runtime(Runtime.JAVA17).handler(f.handler())
                .role("arn:aws:iam::000000000000:role/realty-" + f.key()).memorySize(f.memoryMb()).timeout(f.timeoutSeconds())
                .code(c -> c.zipFile(SdkBytes.fromByteArray(jar))).environment(e -> e.variables(env)));
        lambda.waiter().waitUntilFunctionActiveV2(r -> r.functionName(name(f)),
                w -> w.maxAttempts(120).backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(Duration.ofSeconds(2))));
    }

    private static String name(DeploymentSource.Function f) {
        return "realty-localstack-" + f.key();
    }

    private InvokeResponse invoke(String handler, String payload) {
        DeploymentSource.Function f = SOURCE.function(handler);
        return lambda.invoke(r -> r.functionName(name(f)).payload(SdkBytes.fromUtf8String(payload)));
    }

    private JsonNode api(String method, String path, String token, Object body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("authorization", "Bearer " + token);
        }
        InvokeResponse r = invoke(DeployedFunctionsTest.API, Events.apiRequest(SOURCE.apiRouteKey(SOURCE.function(DeployedFunctionsTest.API)),
                method, path, headers, body == null ? null : Json.write(body)));
        assertNull(r.functionError(), r.payload().asUtf8String());
        return Json.parse(r.payload().asUtf8String());
    }

    @Test
    @Order(1)
    void theDeployTaskMigratesAndDeclaresTheTopology() throws Exception {
        InvokeResponse r = invoke(DeployedFunctionsTest.DEPLOY, SOURCE.deployTaskInput(tokens));
        assertNull(r.functionError(), r.payload().asUtf8String());
        assertTrue(cloud.tableExists("flyway_schema_history"));
        assertTrue(cloud.queueNames().containsAll(SOURCE.workQueues().keySet()), cloud.queueNames().toString());
    }

    @Test
    @Order(2)
    void theApiAnswersHealthAndLogsInThePlatformAdmin() {
        JsonNode health = api("GET", "/health", null, null);
        assertEquals(200, health.path("statusCode").asInt(), health.toString());
        JsonNode login = api("POST", "/api/v1/auth/login", null,
                Map.of("username", LocalCloud.ADMIN_USERNAME, "password", cloud.adminPassword()));
        assertEquals(200, login.path("statusCode").asInt(), login.toString());
        adminToken = Json.parse(login.path("body").asText()).path("access_token").asText();
        JsonNode company = api("POST", "/api/v1/companies", adminToken, Map.of("name", "LocalStack Imóveis"));
        assertEquals(201, company.path("statusCode").asInt(), company.toString());
        String companyId = Json.parse(company.path("body").asText()).path("id").asText();
        JsonNode user = api("POST", "/api/v1/users", adminToken, Map.of("email", "owner@localstack.realty.test", "name", "Owner",
                "password", "a-long-password", "profiles", List.of("owner"), "companyIds", List.of(companyId)));
        assertEquals(201, user.path("statusCode").asInt(), user.toString());
    }

    @Test
    @Order(3)
    void theRelayRunsOnItsSchedulePayload() {
        InvokeResponse r = invoke(DeployedFunctionsTest.RELAY, SOURCE.relayScheduleInput(SOURCE.function(DeployedFunctionsTest.RELAY)));
        assertNull(r.functionError(), r.payload().asUtf8String());
    }

    @Test
    @Order(4)
    void auditWritesTheAuditLogOfTheQueuedEvents() throws Exception {
        String queue = SOURCE.workQueues().entrySet().stream().filter(e -> e.getValue().equals(SOURCE.function(DeployedFunctionsTest.AUDIT).key()))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        try (LocalCloud.Batch batch = cloud.take(queue, 100)) {
            assertFalse(batch.deliveries().isEmpty(), "the API's writes queued audited events");
            InvokeResponse r = invoke(DeployedFunctionsTest.AUDIT, Events.rabbitMqBatch(queue, cloud.vhost(), batch.deliveries()));
            assertNull(r.functionError(), r.payload().asUtf8String());
            batch.ack();
            String id = batch.deliveries().get(0).getProps().getMessageId();
            assertEquals(1, cloud.count("SELECT count(*) FROM audit_logs WHERE event_id = ?::uuid", id));
        }
    }
}
