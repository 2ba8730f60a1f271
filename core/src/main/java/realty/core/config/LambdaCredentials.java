package realty.core.config;

import io.micronaut.json.JsonMapper;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/**
 * The execution role's credentials as Lambda hands them to a Java function, in the SDK's order:
 * <ol>
 *   <li>{@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} / {@code AWS_SESSION_TOKEN}, which
 *   on-demand functions get;</li>
 *   <li>the container credentials endpoint, which SnapStart functions get instead
 *   (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-activate.html#snapstart-credentials):
 *   a GET on {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} (or {@code http://169.254.170.2} +
 *   {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}, ECS's form) with the {@code Authorization} header
 *   taken from the file {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} names, else from
 *   {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}; the answer is JSON with {@code AccessKeyId},
 *   {@code SecretAccessKey}, {@code Token} and {@code Expiration}
 *   (https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html).</li>
 * </ol>
 * As the SDK's ContainerCredentialsProvider: a full URI must be https or resolve only to loopback or
 * the ECS/EKS link-local addresses (a token is never sent elsewhere); the answer is kept until
 * 15 minutes before Expiration (at most an hour), and if fetching again fails the old answer still
 * serves until 1 minute before Expiration. After a SnapStart restore the cached answer is thus reused
 * only while it is valid. No token, key or response body ever goes into an exception message.
 */
public final class LambdaCredentials implements AwsCredentials {
    private static final String ECS_HOST = "http://169.254.170.2";
    /** ECS task metadata and EKS Pod Identity addresses, allowed over plain http like loopback. */
    private static final Set<String> LINK_LOCAL_HOSTS = Set.of("169.254.170.2", "169.254.170.23", "fd00:ec2:0:0:0:0:0:23");
    private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(15);
    private static final Duration STALE_BEFORE_EXPIRY = Duration.ofMinutes(1);
    private static final Duration MAX_CACHE = Duration.ofHours(1);

    private final Map<String, String> env;
    private final Clock clock;
    private HttpClient http;
    private Cached cached;

    private record Cached(AwsCredentialsIdentity identity, Instant refreshAt, Instant staleAt) {
    }

    public LambdaCredentials(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    /** The process's own environment. */
    public static LambdaCredentials fromEnvironment() {
        return new LambdaCredentials(System.getenv(), Clock.systemUTC());
    }

    @Override
    public synchronized AwsCredentialsIdentity resolve() {
        String keyId = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (present(keyId) && present(secret)) {
            String token = env.get("AWS_SESSION_TOKEN");
            return present(token) ? AwsSessionCredentialsIdentity.create(keyId, secret, token)
                    : AwsCredentialsIdentity.create(keyId, secret);
        }
        URI endpoint = containerEndpoint();
        if (endpoint == null) {
            throw new IllegalStateException("no AWS credentials: neither AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY nor "
                    + "AWS_CONTAINER_CREDENTIALS_FULL_URI (or _RELATIVE_URI) is set");
        }
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.refreshAt)) {
            return cached.identity;
        }
        try {
            cached = fetch(endpoint, now);
        } catch (IllegalStateException e) {
            if (cached == null || !now.isBefore(cached.staleAt)) {
                throw e;
            }
            // Still valid for over a minute: a failed early refresh is retried on the next call.
        }
        return cached.identity;
    }

    private URI containerEndpoint() {
        String relative = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        if (present(relative)) {
            return URI.create(ECS_HOST + relative);
        }
        String full = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        if (!present(full)) {
            return null;
        }
        URI uri = URI.create(full.trim());
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !allowedHost(uri.getHost())) {
            throw new IllegalStateException("AWS_CONTAINER_CREDENTIALS_FULL_URI (" + uri.getHost() + ") must be https or "
                    + "resolve to a loopback or ECS/EKS link-local address");
        }
        return uri;
    }

    private static boolean allowedHost(String host) {
        if (host == null) {
            return false;
        }
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress a : addresses) {
                if (!a.isLoopbackAddress() && !LINK_LOCAL_HOSTS.contains(a.getHostAddress())) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("AWS_CONTAINER_CREDENTIALS_FULL_URI: host " + host + " does not resolve", e);
        }
    }

    private String authorization() {
        String file = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        if (present(file)) {
            // Read on every fetch: the token in the file may be rotated (EKS Pod Identity does).
            try {
                return Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IllegalStateException("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + file + " cannot be read: "
                        + e.getClass().getSimpleName());
            }
        }
        String token = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
        return present(token) ? token.trim() : null;
    }

    @SuppressWarnings("unchecked")
    private Cached fetch(URI endpoint, Instant now) {
        if (http == null) {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).GET()
                .header("Accept", "application/json");
        String authorization = authorization();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("container credentials endpoint " + endpoint.getHost() + ":" + endpoint.getPort()
                    + " unreachable: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching container credentials", e);
        }
        Map<String, Object> json;
        try {
            json = JsonMapper.createDefault().readValue(response.body(), Map.class);
        } catch (IOException | RuntimeException e) {
            json = null;
        }
        if (response.statusCode() != 200 || json == null) {
            // The error JSON's "code" only: the body of a 200 holds the secret key, never quote bodies.
            Object code = json == null ? null : json.get("code");
            throw new IllegalStateException("container credentials endpoint answered " + response.statusCode()
                    + (code == null ? "" : " " + code));
        }
        String keyId = string(json, "AccessKeyId");
        String secret = string(json, "SecretAccessKey");
        if (keyId == null || secret == null) {
            throw new IllegalStateException("container credentials answer lacks AccessKeyId or SecretAccessKey");
        }
        String token = string(json, "Token");
        AwsCredentialsIdentity identity = token == null ? AwsCredentialsIdentity.create(keyId, secret)
                : AwsSessionCredentialsIdentity.create(keyId, secret, token);
        Instant refreshAt = now.plus(MAX_CACHE);
        Instant staleAt = Instant.MAX;
        String expiration = string(json, "Expiration");
        if (expiration != null) {
            Instant expires;
            try {
                expires = OffsetDateTime.parse(expiration).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalStateException("container credentials answer has an unreadable Expiration");
            }
            refreshAt = min(refreshAt, expires.minus(REFRESH_BEFORE_EXPIRY));
            staleAt = expires.minus(STALE_BEFORE_EXPIRY);
        }
        return new Cached(identity, refreshAt, staleAt);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String string(Map<String, Object> json, String key) {
        Object v = json.get(key);
        return v == null || v.toString().isBlank() ? null : v.toString();
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
