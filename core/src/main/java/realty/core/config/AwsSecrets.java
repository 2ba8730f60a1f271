package realty.core.config;

import io.micronaut.json.JsonMapper;
import realty.core.aws.SignedRequests;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads the secrets a function is given by ARN ({@code *_SECRET_ARN} variables) from AWS Secrets
 * Manager and maps their JSON keys to configuration properties. Nothing here is logged.
 *
 * <p>Why a direct call and not the Parameters and Secrets Lambda Extension: this runs while the
 * function initialises (the handler's constructor), and the extension only answers once the INVOKE
 * phase has begun; under SnapStart the runtime also gives no {@code AWS_SESSION_TOKEN}, which the
 * extension requires, but container credentials instead
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-activate.html#snapstart-credentials).
 * {@link LambdaCredentials} reads either, so the same code works on demand, during a SnapStart INIT
 * and after a restore. The region and endpoint come from the standard variables ({@code AWS_REGION},
 * which Lambda sets; {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, else {@code AWS_ENDPOINT_URL}, for a
 * stand-in; https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 *
 * <p>Why not the SDK's SecretsManagerClient: GetSecretValue is one AWS JSON 1.1 POST, signed with the
 * SDK's own SigV4 signer (module http-auth-aws, which S3 archiving needs anyway) and sent with the
 * JDK's HttpClient ({@link SignedRequests}); the client, with sdk-core, regions, auth, the JSON
 * protocol and the URLConnection transport, made every Lambda jar 4.13 MB larger (api-function
 * 27,572,373 → 23,441,146 bytes without it, 4,131,227 saved; measured Nov 2026, docs/deploy.md),
 * and creating it cost INIT time.
 *
 * <p>With no {@code *_SECRET_ARN} set (local runs, {@code sam local} with an env-vars file) nothing is
 * fetched and the plain variables of application.yml ({@code DB_USERNAME}, ...) apply.
 */
final class AwsSecrets {
    /** env variable → (secret JSON key → property). */
    static final Map<String, Map<String, String>> MAPPING = Map.of(
            "DB_SECRET_ARN", Map.of("username", "datasources.default.username", "password", "datasources.default.password"),
            "BROKER_SECRET_ARN", Map.of("username", "realty.broker.username", "password", "realty.broker.password"),
            "JWT_SECRET_ARN", Map.of("key", "micronaut.security.token.jwt.signatures.secret.generator.secret"),
            "PLATFORM_ADMIN_SECRET_ARN", Map.of("username", "realty.platform-admin.username",
                    "password", "realty.platform-admin.password"),
            "SMTP_SECRET_ARN", Map.of("username", "realty.mail.username", "password", "realty.mail.password"),
            // also the password-reset links' key (PasswordResetTokens), with its own HMAC prefix
            "INVITATION_SECRET_ARN", Map.of("key", "realty.invitations.secret"));
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final int MAX_ATTEMPTS = 3;
    private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "TooManyRequestsException",
            "RequestLimitExceeded", "RequestThrottledException");

    private final URI endpoint;
    private final SignedRequests aws;

    AwsSecrets(URI endpoint, String region, AwsCredentials credentials, Clock clock) {
        this.endpoint = endpoint;
        this.aws = new SignedRequests("secretsmanager", region, credentials::resolve, clock, Duration.ofSeconds(2));
    }

    static Map<String, Object> fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, new LambdaCredentials(env, Clock.systemUTC()), Clock.systemUTC());
    }

    static Map<String, Object> fromEnvironment(Map<String, String> env, AwsCredentials credentials, Clock clock) {
        Map<String, Object> properties = new HashMap<>();
        AwsSecrets client = null;
        for (var entry : MAPPING.entrySet()) {
            String arn = env.get(entry.getKey());
            if (arn == null || arn.isBlank()) {
                continue;
            }
            if (client == null) {
                client = forEnvironment(env, credentials, clock);
            }
            Map<String, Object> secret = client.fetch(arn);
            entry.getValue().forEach((key, property) -> {
                Object value = secret.get(key);
                if (value != null) {
                    properties.put(property, value.toString());
                }
            });
        }
        return properties;
    }

    static AwsSecrets forEnvironment(Map<String, String> env, AwsCredentials credentials, Clock clock) {
        String region = first(env, "AWS_REGION", "AWS_DEFAULT_REGION");
        if (region == null) {
            throw new IllegalStateException("a *_SECRET_ARN is set but AWS_REGION is not");
        }
        String endpoint = first(env, "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL");
        URI uri = URI.create(endpoint != null ? endpoint.trim() : "https://secretsmanager." + region + ".amazonaws.com");
        return new AwsSecrets(uri, region, credentials, clock);
    }

    private static String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /** The request URI: the endpoint's path (normally none) with "/", as the SDK sends it. */
    URI requestUri() {
        String base = endpoint.toString().replaceAll("/+$", "");
        return URI.create(base + "/");
    }

    /** GetSecretValue of {@code arn}, its SecretString parsed as a JSON object. */
    @SuppressWarnings("unchecked")
    Map<String, Object> fetch(String arn) {
        String body;
        try {
            body = JsonMapper.createDefault().writeValueAsString(Map.of("SecretId", arn));
        } catch (IOException e) {
            throw new IllegalStateException("secret " + arn + ": the request could not be written", e);
        }
        HttpResponse<byte[]> response = null;
        Map<String, Object> json = null;
        // As the SDK's standard retry mode: 3 attempts, exponential backoff with jitter, on a failed
        // connection, a 5xx or throttling; each attempt is signed anew (X-Amz-Date).
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            boolean last = attempt == MAX_ATTEMPTS;
            try {
                response = send(arn, body);
            } catch (IllegalStateException e) {
                if (last || !(e.getCause() instanceof IOException)) {
                    throw e;
                }
                backOff(arn, attempt);
                continue;
            }
            json = parse(response.body());
            if (last || !(response.statusCode() >= 500 || response.statusCode() == 429 || THROTTLING.contains(errorCode(json)))) {
                break;
            }
            backOff(arn, attempt);
        }
        if (response.statusCode() != 200) {
            // The AWS error code (__type) only, never the body: a body is no place to look for the value.
            throw new IllegalStateException("secret " + arn + " could not be read: " + response.statusCode() + " "
                    + errorCode(json));
        }
        Object secretString = json == null ? null : json.get("SecretString");
        if (secretString == null) {
            throw new IllegalStateException("secret " + arn + " has no SecretString");
        }
        Map<String, Object> secret = parse(secretString.toString().getBytes(StandardCharsets.UTF_8));
        if (secret == null) {
            // Not the parser's message: it could quote the secret.
            throw new IllegalStateException("secret " + arn + " is not a JSON object");
        }
        return secret;
    }

    private static void backOff(String arn, int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 100L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("secret " + arn + " could not be read: interrupted", e);
        }
    }

    private HttpResponse<byte[]> send(String arn, String body) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(requestUri())
                .putHeader("Content-Type", JSON_11)
                .putHeader("X-Amz-Target", "secretsmanager.GetSecretValue").build();
        SignedRequest signed = aws.sign(r -> r.request(request).payload(ContentStreamProvider.fromUtf8String(body)));
        HttpRequest send = SignedRequests.toJdk(signed.request()).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            return aws.send(send, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("secret " + arn + " could not be read: " + endpoint.getHost() + " unreachable ("
                    + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("secret " + arn + " could not be read: interrupted", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(byte[] json) {
        try {
            Object parsed = JsonMapper.createDefault().readValue(json, Map.class);
            return parsed instanceof Map ? (Map<String, Object>) parsed : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** "ResourceNotFoundException" from {@code __type} (which may carry a "namespace#" prefix). */
    static String errorCode(Map<String, Object> json) {
        Object type = json == null ? null : json.get("__type");
        if (type == null) {
            return "(no AWS error code)";
        }
        String t = type.toString();
        return t.substring(t.lastIndexOf('#') + 1);
    }
}
