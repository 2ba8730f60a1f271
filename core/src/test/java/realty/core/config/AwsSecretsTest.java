package realty.core.config;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AwsSecrets} against a small local Secrets Manager: it accepts GetSecretValue only as AWS JSON 1.1
 * with a SigV4 signature it recomputes itself from the published algorithm
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html), scoped to
 * us-east-1/secretsmanager and carrying the session token, and answers errors with {@code __type} as AWS does.
 */
class AwsSecretsTest {
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");
    private static final String KEY_ID = "ASIAEXAMPLE";
    private static final String SECRET_KEY = "the-secret-access-key";
    private static final String SESSION = "the-session-token";
    private static final String DB = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
    private static final String JWT = "arn:aws:secretsmanager:us-east-1:123456789012:secret:jwt-AbCdEf";
    private static final String DENIED = "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-AbCdEf";
    private static final String NOT_JSON = "arn:aws:secretsmanager:us-east-1:123456789012:secret:plain-AbCdEf";

    private HttpServer server;
    /** Answers still to fail with 500 before the stand-in serves normally again. */
    private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        var h = exchange.getRequestHeaders();
        Matcher auth = AUTHORIZATION.matcher(String.valueOf(h.getFirst("Authorization")));
        String secretId = new String(body, StandardCharsets.UTF_8).replaceAll(".*\"SecretId\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + h.getFirst("Content-Type") + " "
                + h.getFirst("X-Amz-Target") + " " + secretId);
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(exchange, 500, "{\"__type\":\"InternalServiceError\"}");
        } else if (!"POST".equals(exchange.getRequestMethod()) || !"/".equals(exchange.getRequestURI().toString())
                || !"application/x-amz-json-1.1".equals(h.getFirst("Content-Type"))
                || !"secretsmanager.GetSecretValue".equals(h.getFirst("X-Amz-Target"))) {
            answer(exchange, 400, "{\"__type\":\"UnknownOperationException\"}");
        } else if (!auth.matches() || !auth.group(1).equals(KEY_ID) || !SESSION.equals(h.getFirst("X-Amz-Security-Token"))) {
            answer(exchange, 400, "{\"__type\":\"UnrecognizedClientException\",\"message\":\"invalid token\"}");
        } else if (!auth.group(3).equals("us-east-1") || !auth.group(4).equals("secretsmanager")
                || !signatureMatches(auth, h, body)) {
            answer(exchange, 400, "{\"__type\":\"InvalidSignatureException\",\"message\":\"does not match\"}");
        } else if (secretId.equals(DENIED)) {
            answer(exchange, 400, "{\"__type\":\"com.amazonaws.secretsmanager#AccessDeniedException\",\"Message\":\"not authorized "
                    + "on resource with value hunter2\"}");
        } else if (secretId.equals(DB)) {
            answer(exchange, 200, "{\"ARN\":\"" + DB + "\",\"SecretString\":\"{\\\"username\\\":\\\"app\\\",\\\"password\\\":\\\"pw-1\\\"}\"}");
        } else if (secretId.equals(JWT)) {
            answer(exchange, 200, "{\"ARN\":\"" + JWT + "\",\"SecretString\":\"{\\\"key\\\":\\\"jwt-key\\\"}\"}");
        } else if (secretId.equals(NOT_JSON)) {
            answer(exchange, 200, "{\"ARN\":\"" + NOT_JSON + "\",\"SecretString\":\"hunter2 not json\"}");
        } else {
            answer(exchange, 400, "{\"__type\":\"ResourceNotFoundException\",\"message\":\"can't find the specified secret\"}");
        }
    }

    /** SigV4 recomputed from the request as received (no query string: the JSON protocol posts to "/"). */
    private static boolean signatureMatches(Matcher auth, Map<String, List<String>> headers, byte[] body) {
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v.stream().map(String::trim).collect(Collectors.joining(","))));
        List<String> signed = List.of(auth.group(5).split(";"));
        if (!signed.contains("host") || !signed.contains("x-amz-date") || !signed.contains("x-amz-target")) {
            return false;
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signed) {
            canonicalHeaders.append(name).append(':').append(lower.get(name)).append('\n');
        }
        String canonical = String.join("\n", "POST", "/", "", canonicalHeaders.toString(), auth.group(5), hex(sha256(body)));
        String scope = auth.group(2) + "/" + auth.group(3) + "/" + auth.group(4) + "/aws4_request";
        String toSign = String.join("\n", "AWS4-HMAC-SHA256", lower.get("x-amz-date"), scope,
                hex(sha256(canonical.getBytes(StandardCharsets.UTF_8))));
        byte[] key = hmac(("AWS4" + SECRET_KEY).getBytes(StandardCharsets.UTF_8), auth.group(2));
        key = hmac(hmac(hmac(key, auth.group(3)), auth.group(4)), "aws4_request");
        return hex(hmac(key, toSign)).equals(auth.group(6));
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Map<String, String> env(String... more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:" + server.getAddress().getPort()));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private static AwsCredentials keys(String secretKey) {
        return AwsCredentials.of(AwsSessionCredentialsIdentity.create(KEY_ID, secretKey, SESSION));
    }

    @Test
    void readsAndMapsSecretsWithASignedJson11Call() {
        Map<String, Object> props = AwsSecrets.fromEnvironment(env("DB_SECRET_ARN", DB, "JWT_SECRET_ARN", JWT),
                keys(SECRET_KEY), Clock.systemUTC());
        assertEquals(Map.of("datasources.default.username", "app", "datasources.default.password", "pw-1",
                "micronaut.security.token.jwt.signatures.secret.generator.secret", "jwt-key"), props);
        assertTrue(seen.contains("POST / application/x-amz-json-1.1 secretsmanager.GetSecretValue " + DB), seen.toString());
        assertEquals(2, seen.size());
    }

    @Test
    void retriesAServerErrorTwiceThenGivesUp() {
        failures.set(2);
        Map<String, Object> props = AwsSecrets.fromEnvironment(env("JWT_SECRET_ARN", JWT), keys(SECRET_KEY), Clock.systemUTC());
        assertEquals("jwt-key", props.get("micronaut.security.token.jwt.signatures.secret.generator.secret"));
        assertEquals(3, seen.size(), "two 500s, then the answer");

        seen.clear();
        failures.set(3);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AwsSecrets.fromEnvironment(env("JWT_SECRET_ARN", JWT), keys(SECRET_KEY), Clock.systemUTC()));
        assertEquals("secret " + JWT + " could not be read: 500 InternalServiceError", e.getMessage());
        assertEquals(3, seen.size());

        // A client error is final: no retry.
        seen.clear();
        assertThrows(IllegalStateException.class,
                () -> AwsSecrets.fromEnvironment(env("JWT_SECRET_ARN", DENIED), keys(SECRET_KEY), Clock.systemUTC()));
        assertEquals(1, seen.size());
    }

    @Test
    void errorsNameTheAwsCodeAndNeverAValue() {
        IllegalStateException badKey = assertThrows(IllegalStateException.class,
                () -> AwsSecrets.fromEnvironment(env("DB_SECRET_ARN", DB), keys("not-the-key"), Clock.systemUTC()));
        assertEquals("secret " + DB + " could not be read: 400 InvalidSignatureException", badKey.getMessage());

        IllegalStateException denied = assertThrows(IllegalStateException.class,
                () -> AwsSecrets.fromEnvironment(env("DB_SECRET_ARN", DENIED), keys(SECRET_KEY), Clock.systemUTC()));
        assertEquals("secret " + DENIED + " could not be read: 400 AccessDeniedException", denied.getMessage());

        IllegalStateException gone = assertThrows(IllegalStateException.class, () -> AwsSecrets.fromEnvironment(
                env("DB_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-XyZ"), keys(SECRET_KEY), Clock.systemUTC()));
        assertTrue(gone.getMessage().endsWith("400 ResourceNotFoundException"), gone.getMessage());

        IllegalStateException plain = assertThrows(IllegalStateException.class,
                () -> AwsSecrets.fromEnvironment(env("DB_SECRET_ARN", NOT_JSON), keys(SECRET_KEY), Clock.systemUTC()));
        assertEquals("secret " + NOT_JSON + " is not a JSON object", plain.getMessage());
        assertFalse(plain.getMessage().contains("hunter2"));
    }

    @Test
    void nothingFetchedWithoutArnsAndEndpointFromTheStandardVariables() {
        assertEquals(Map.of(), AwsSecrets.fromEnvironment(Map.of(), keys(SECRET_KEY), Clock.systemUTC()));
        assertTrue(seen.isEmpty());

        AwsCredentials none = keys(SECRET_KEY);
        assertEquals("https://secretsmanager.eu-west-3.amazonaws.com/",
                AwsSecrets.forEnvironment(Map.of("AWS_REGION", "eu-west-3"), none, Clock.systemUTC()).requestUri().toString());
        assertEquals("http://general:4566/", AwsSecrets.forEnvironment(Map.of("AWS_REGION", "eu-west-3",
                "AWS_ENDPOINT_URL", "http://general:4566"), none, Clock.systemUTC()).requestUri().toString());
        assertEquals("http://sm:1/", AwsSecrets.forEnvironment(Map.of("AWS_REGION", "eu-west-3", "AWS_ENDPOINT_URL", "http://general:4566",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://sm:1/"), none, Clock.systemUTC()).requestUri().toString());
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
