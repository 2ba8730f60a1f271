package realty.runtimecheck.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What AWS provides around the execution environments, as local stand-ins shared by every
 * environment of the test JVM:
 * <ul>
 *   <li><b>Secrets Manager</b>: the regional endpoint (AWS JSON 1.1, {@code X-Amz-Target:
 *   secretsmanager.GetSecretValue}), reachable in every phase as the real endpoint is. Requests must be
 *   SigV4-signed with credentials this platform issued (and carry their session token); a secret the
 *   caller's execution role does not grant is refused with {@code AccessDeniedException}, an unknown
 *   one with {@code ResourceNotFoundException}: this models IAM. Functions find it through the SDK's
 *   standard {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}
 *   (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), which the harness sets
 *   like a platform variable: the one variable Lambda itself would not set.</li>
 *   <li><b>Container credentials</b>: what SnapStart functions get instead of access-key variables
 *   ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI} + {@code AWS_CONTAINER_AUTHORIZATION_TOKEN};
 *   https://docs.aws.amazon.com/lambda/latest/dg/snapstart-activate.html#snapstart-credentials). It
 *   checks the Authorization header and answers the JSON the SDKs read
 *   (https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html).</li>
 *   <li><b>AWS Parameters and Secrets Lambda Extension</b> on 127.0.0.1:2773 (or the port a function's
 *   {@code PARAMETERS_SECRETS_EXTENSION_HTTP_PORT} names). "The extension can only be called during
 *   the INVOKE phase of Lambda operation, not INIT" (Systems Manager user guide, "Use Parameter Store
 *   parameters in AWS Lambda functions", Important note:
 *   https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html),
 *   so it refuses every call outside INVOKE. It authenticates a call by
 *   {@code X-Aws-Parameters-Secrets-Token} = the environment's {@code AWS_SESSION_TOKEN}, which SnapStart
 *   environments do not have. The caller's environment is found from the TCP connection (its process).
 *   The status codes and texts of its refusals are the harness's (AWS documents the rules, not the
 *   wire format of a refusal).</li>
 * </ul>
 */
public final class AwsPlatform implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";
    public static final int DEFAULT_EXTENSION_PORT = 2773;
    private static final String JSON_11 = "application/x-amz-json-1.1";

    /** A secret held by the Secrets Manager stand-in. */
    public record Secret(String arn, String name, String secretString, String versionId, Instant created) {
    }

    /** Credentials issued to one execution environment's role session. */
    public record IssuedCredentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration,
                                    ExecutionEnvironment owner) {
    }

    /** One request for a secret, as the stand-ins saw it. */
    public record SecretRequest(String function, String via, String phase, String secretId, int status, String outcome) {
        @Override
        public String toString() {
            return function + " " + via + " in " + phase + ": " + secretId + " → " + status + " " + outcome;
        }
    }

    private static AwsPlatform shared;

    private final SecureRandom random = new SecureRandom();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "aws-platform");
        t.setDaemon(true);
        return t;
    });
    private final HttpServer secretsManager;
    private final HttpServer credentials;
    private final Map<Integer, HttpServer> extensions = new ConcurrentHashMap<>();
    private final Map<Integer, String> extensionProblems = new ConcurrentHashMap<>();
    private final Map<String, Secret> secretsByArn = new ConcurrentHashMap<>();
    private final Map<String, IssuedCredentials> byAccessKey = new ConcurrentHashMap<>();
    private final Map<String, ExecutionEnvironment> byContainerToken = new ConcurrentHashMap<>();
    private final Map<Long, ExecutionEnvironment> byPid = new ConcurrentHashMap<>();
    private final List<SecretRequest> requests = Collections.synchronizedList(new ArrayList<>());

    private AwsPlatform() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        secretsManager = HttpServer.create(new InetSocketAddress(loopback, 0), 50);
        secretsManager.createContext("/", this::secretsManagerApi);
        secretsManager.setExecutor(executor);
        secretsManager.start();
        credentials = HttpServer.create(new InetSocketAddress(loopback, 0), 50);
        credentials.createContext("/", this::containerCredentials);
        credentials.setExecutor(executor);
        credentials.start();
    }

    /** The platform of this test JVM, started on first use and stopped when the JVM exits. */
    public static synchronized AwsPlatform shared() {
        if (shared == null) {
            try {
                shared = new AwsPlatform();
            } catch (IOException e) {
                throw new IllegalStateException("could not start the AWS stand-ins", e);
            }
            AwsPlatform platform = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "aws-platform-stop"));
        }
        return shared;
    }

    // --- secrets --------------------------------------------------------------------------------

    /** Stores a secret (JSON string) and returns its ARN, with the random suffix Secrets Manager adds. */
    public String putSecret(String name, Map<String, String> json) {
        String suffix = randomAlphanumeric(6);
        String arn = "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + name + "-" + suffix;
        secretsByArn.put(arn, new Secret(arn, name, Json.write(json), UUID.randomUUID().toString(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        return arn;
    }

    public void deleteSecret(String arn) {
        secretsByArn.remove(arn);
    }

    public Optional<Secret> secret(String secretId) {
        Secret byArn = secretsByArn.get(secretId);
        if (byArn != null) {
            return Optional.of(byArn);
        }
        return secretsByArn.values().stream().filter(s -> s.name().equals(secretId)).findFirst();
    }

    /** Every request for a secret so far, oldest first. */
    public List<SecretRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public List<SecretRequest> requestsOf(String functionName) {
        return requests().stream().filter(r -> r.function().equals(functionName)).toList();
    }

    // --- what the environments are given ---------------------------------------------------------

    public URI secretsManagerEndpoint() {
        return URI.create("http://127.0.0.1:" + secretsManager.getAddress().getPort());
    }

    /** Credentials of a new role session for an environment (access key, secret key, session token). */
    IssuedCredentials issueCredentials(ExecutionEnvironment owner) {
        IssuedCredentials c = new IssuedCredentials("ASIA" + randomUpper(16), randomAlphanumeric(40),
                "IQoJb3JpZ2luX2VjE" + randomAlphanumeric(120), Instant.now().plus(6, ChronoUnit.HOURS), owner);
        byAccessKey.put(c.accessKeyId(), c);
        return c;
    }

    /** The container credentials endpoint URI and the authorization token of an environment. */
    Map<String, String> containerCredentials(ExecutionEnvironment owner) {
        String token = randomAlphanumeric(48);
        byContainerToken.put(token, owner);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:" + credentials.getAddress().getPort() + "/2021-04-23/credentials");
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
        return env;
    }

    /** Serves the Parameters and Secrets extension on this port (once per port). */
    void ensureExtension(int port) {
        extensions.computeIfAbsent(port, p -> {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 50);
                server.createContext("/", this::extension);
                server.setExecutor(executor);
                server.start();
                return server;
            } catch (BindException e) {
                extensionProblems.put(p, "port " + p + " is in use: the extension stand-in is not running");
                return null;
            } catch (IOException e) {
                extensionProblems.put(p, e.toString());
                return null;
            }
        });
    }

    /** Why the extension stand-in is not serving on a port, if it is not. */
    public Optional<String> extensionProblem(int port) {
        return Optional.ofNullable(extensionProblems.get(port));
    }

    void register(long pid, ExecutionEnvironment environment) {
        byPid.put(pid, environment);
    }

    void unregister(long pid) {
        byPid.remove(pid);
    }

    // --- Secrets Manager ------------------------------------------------------------------------

    private void secretsManagerApi(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"POST".equals(exchange.getRequestMethod()) || target == null) {
                error(exchange, 400, "UnknownOperationException", "unknown request");
                return;
            }
            SigV4.Authorization auth = SigV4.parse(exchange.getRequestHeaders().getFirst("Authorization"));
            if (auth == null) {
                record(null, "sdk", "?", "(unauthenticated)", 400, "MissingAuthenticationTokenException");
                error(exchange, 400, "MissingAuthenticationTokenException", "Missing Authentication Token");
                return;
            }
            IssuedCredentials caller = byAccessKey.get(auth.accessKeyId());
            if (caller == null) {
                record(null, "sdk", "?", "(key " + auth.accessKeyId() + ")", 400, "UnrecognizedClientException");
                error(exchange, 400, "UnrecognizedClientException", "The security token included in the request is invalid.");
                return;
            }
            ExecutionEnvironment env = caller.owner();
            String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
            if (!caller.sessionToken().equals(token)) {
                record(env, "sdk", "(no session token)", 400, "UnrecognizedClientException");
                error(exchange, 400, "UnrecognizedClientException", "The security token included in the request is invalid.");
                return;
            }
            if (!auth.region().equals(REGION) || !auth.service().equals("secretsmanager")) {
                record(env, "sdk", "(scope " + auth.region() + "/" + auth.service() + ")", 400, "InvalidSignatureException");
                error(exchange, 400, "InvalidSignatureException", "Credential should be scoped to a valid region and service.");
                return;
            }
            String rawQuery = exchange.getRequestURI().getRawQuery();
            if (!SigV4.verify(auth, caller.secretAccessKey(), "POST", exchange.getRequestURI().getRawPath(), rawQuery,
                    exchange.getRequestHeaders(), body)) {
                record(env, "sdk", "(bad signature)", 400, "InvalidSignatureException");
                error(exchange, 400, "InvalidSignatureException",
                        "The request signature we calculated does not match the signature you provided.");
                return;
            }
            if (!"secretsmanager.GetSecretValue".equals(target)) {
                record(env, "sdk", target, 400, "UnknownOperationException");
                error(exchange, 400, "UnknownOperationException", target + " is not served by the stand-in");
                return;
            }
            JsonNode request = Json.parse(body);
            String secretId = request.path("SecretId").asText(null);
            Answer answer = getSecretValue(env, secretId);
            record(env, "sdk", secretId, answer.status, answer.outcome);
            send(exchange, answer.status, JSON_11, answer.body);
        }
    }

    private record Answer(int status, String outcome, String body) {
    }

    /** GetSecretValue as the environment's execution role: IAM, then the secret. */
    private Answer getSecretValue(ExecutionEnvironment env, String secretId) {
        Optional<Secret> secret = secretId == null ? Optional.empty() : secret(secretId);
        String resource = secret.map(Secret::arn).orElse(secretId);
        if (!env.grantedSecrets().contains(resource)) {
            // IAM is evaluated before the secret is looked up: an ungranted ARN is denied even if it exists.
            return new Answer(400, "AccessDeniedException", errorBody("AccessDeniedException", "User: arn:aws:sts::" + ACCOUNT
                    + ":assumed-role/" + env.functionName() + "/" + env.functionName()
                    + " is not authorized to perform: secretsmanager:GetSecretValue on resource: " + secretId
                    + " because no identity-based policy allows the secretsmanager:GetSecretValue action"));
        }
        if (secret.isEmpty()) {
            return new Answer(400, "ResourceNotFoundException",
                    errorBody("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
        }
        Secret s = secret.get();
        ObjectNode out = Json.object();
        out.put("ARN", s.arn());
        out.put("Name", s.name());
        out.put("SecretString", s.secretString());
        out.put("VersionId", s.versionId());
        out.putArray("VersionStages").add("AWSCURRENT");
        out.put("CreatedDate", s.created().getEpochSecond());
        return new Answer(200, "OK", Json.write(out));
    }

    // --- container credentials ------------------------------------------------------------------

    private void containerCredentials(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String token = exchange.getRequestHeaders().getFirst("Authorization");
            ExecutionEnvironment env = token == null ? null : byContainerToken.get(token);
            if (env == null || !"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 401, "application/json", "{\"message\":\"invalid authorization token\"}");
                return;
            }
            IssuedCredentials c = env.containerSessionCredentials();
            ObjectNode out = Json.object();
            out.put("AccessKeyId", c.accessKeyId());
            out.put("SecretAccessKey", c.secretAccessKey());
            out.put("Token", c.sessionToken());
            out.put("Expiration", c.expiration().toString());
            send(exchange, 200, "application/json", Json.write(out));
        }
    }

    // --- Parameters and Secrets Lambda Extension ------------------------------------------------

    private void extension(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            int serverPort = exchange.getLocalAddress().getPort();
            Optional<ExecutionEnvironment> caller = ProcessSockets
                    .ownerOfClient(exchange.getRemoteAddress().getPort(), serverPort, byPid.keySet())
                    .map(byPid::get);
            String path = exchange.getRequestURI().getPath();
            String secretId = query(exchange.getRequestURI().getRawQuery()).get("secretId");
            if (caller.isEmpty()) {
                send(exchange, 403, "text/plain", "caller is not a known execution environment");
                return;
            }
            ExecutionEnvironment env = caller.get();
            String phase = env.phase().name();
            if (env.phase() != ExecutionEnvironment.Phase.INVOKE) {
                record(env, "extension", phase, secretId, 400, "refused: not in INVOKE");
                send(exchange, 400, "text/plain", "not ready to serve traffic, please wait");
                return;
            }
            String token = exchange.getRequestHeaders().getFirst("X-Aws-Parameters-Secrets-Token");
            String expected = env.sessionToken();
            if (expected == null || !expected.equals(token)) {
                record(env, "extension", phase, secretId, 401, expected == null
                        ? "refused: the environment has no AWS_SESSION_TOKEN (SnapStart)" : "refused: wrong session token");
                send(exchange, 401, "text/plain", "bad session token or header key");
                return;
            }
            if (!path.equals("/secretsmanager/get") || secretId == null) {
                record(env, "extension", phase, path, 400, "unsupported request");
                send(exchange, 400, "text/plain", "unsupported request " + path);
                return;
            }
            Answer answer = getSecretValue(env, secretId);
            record(env, "extension", phase, secretId, answer.status, answer.outcome);
            send(exchange, answer.status, "application/json", answer.body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    // --- helpers --------------------------------------------------------------------------------

    private void record(ExecutionEnvironment env, String via, String secretId, int status, String outcome) {
        record(env, via, env == null ? "?" : env.phase().name(), secretId, status, outcome);
    }

    private void record(ExecutionEnvironment env, String via, String phase, String secretId, int status, String outcome) {
        requests.add(new SecretRequest(env == null ? "?" : env.functionName(), via, phase, secretId, status, outcome));
    }

    private static String errorBody(String type, String message) {
        ObjectNode node = Json.object();
        node.put("__type", type);
        node.put("message", message);
        return Json.write(node);
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        send(exchange, status, JSON_11, errorBody(type, message));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private String randomAlphanumeric(int n) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        return b.toString();
    }

    private String randomUpper(int n) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        return b.toString();
    }

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        secretsManager.stop(0);
        credentials.stop(0);
        extensions.values().forEach(s -> {
            if (s != null) {
                s.stop(0);
            }
        });
        executor.shutdownNow();
    }
}
