package realty.core.config;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LambdaCredentials} against a real local container credentials endpoint (com.sun.net.httpserver)
 * that answers as Lambda's does for SnapStart functions: a JSON document per GET, only with the right
 * Authorization header.
 */
class LambdaCredentialsTest {
    private static final String TOKEN = "container-token-1";

    private HttpServer server;
    private final AtomicInteger issued = new AtomicInteger();
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    /** Lifetime of the credentials the endpoint issues, measured from {@link #now}. */
    private volatile Duration lifetime = Duration.ofHours(6);
    private volatile boolean failing;
    private volatile Instant now = Instant.parse("2026-11-29T00:00:00Z");

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/2021-04-23/credentials", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(auth));
            byte[] body;
            int status;
            if (failing) {
                status = 500;
                body = "{\"code\":\"InternalError\",\"message\":\"try later\"}".getBytes(StandardCharsets.UTF_8);
            } else if (!TOKEN.equals(auth)) {
                status = 403;
                body = "{\"code\":\"AccessDenied\",\"message\":\"bad token\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                int n = issued.incrementAndGet();
                status = 200;
                body = ("{\"AccessKeyId\":\"ASIA" + n + "\",\"SecretAccessKey\":\"secret-" + n + "\",\"Token\":\"session-" + n
                        + "\",\"Expiration\":\"" + now.plus(lifetime) + "\"}").getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/2021-04-23/credentials";
    }

    @Test
    void environmentVariablesComeFirst() {
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKIA1", "AWS_SECRET_ACCESS_KEY", "s1", "AWS_SESSION_TOKEN", "t1",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", uri(), "AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN);
        AwsCredentialsIdentity id = new LambdaCredentials(env, clock).resolve();
        AwsSessionCredentialsIdentity session = assertInstanceOf(AwsSessionCredentialsIdentity.class, id);
        assertEquals("AKIA1", session.accessKeyId());
        assertEquals("s1", session.secretAccessKey());
        assertEquals("t1", session.sessionToken());
        assertEquals(0, authorizations.size(), "the endpoint is not asked when the variables are there");

        AwsCredentialsIdentity basic = new LambdaCredentials(Map.of("AWS_ACCESS_KEY_ID", "AKIA2", "AWS_SECRET_ACCESS_KEY", "s2"), clock)
                .resolve();
        assertFalse(basic instanceof AwsSessionCredentialsIdentity);
        assertEquals("AKIA2", basic.accessKeyId());
    }

    @Test
    void containerEndpointWithToken() {
        LambdaCredentials credentials = new LambdaCredentials(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN), clock);
        AwsSessionCredentialsIdentity id = assertInstanceOf(AwsSessionCredentialsIdentity.class, credentials.resolve());
        assertEquals("ASIA1", id.accessKeyId());
        assertEquals("secret-1", id.secretAccessKey());
        assertEquals("session-1", id.sessionToken());
        assertEquals(List.of(TOKEN), authorizations);
        // Cached: a second call does not go to the endpoint.
        assertEquals("ASIA1", credentials.resolve().accessKeyId());
        assertEquals(1, issued.get());
    }

    @Test
    void tokenFileWinsOverTokenVariableAndIsReadAgain(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, TOKEN + "\n");
        Map<String, String> env = Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", "stale-variable-token", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file.toString());
        LambdaCredentials credentials = new LambdaCredentials(env, clock);
        assertEquals("ASIA1", credentials.resolve().accessKeyId());
        assertEquals(List.of(TOKEN), authorizations, "the file's token, trimmed");

        // A rotated file is read on the next fetch; a wrong token is refused and reported without it.
        Files.writeString(file, "wrong-token");
        now = now.plus(Duration.ofHours(6));
        IllegalStateException e = assertThrows(IllegalStateException.class, credentials::resolve);
        assertTrue(e.getMessage().contains("403") && e.getMessage().contains("AccessDenied"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-token"), e.getMessage());
    }

    @Test
    void refreshesFifteenMinutesBeforeExpirationAndToleratesAFailedEarlyRefresh() {
        lifetime = Duration.ofMinutes(30);
        LambdaCredentials credentials = new LambdaCredentials(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN), clock);
        Instant start = now;
        assertEquals("ASIA1", credentials.resolve().accessKeyId());
        now = start.plus(Duration.ofMinutes(14));
        assertEquals("ASIA1", credentials.resolve().accessKeyId(), "still more than 15 minutes left");
        now = start.plus(Duration.ofMinutes(16));
        assertEquals("ASIA2", credentials.resolve().accessKeyId(), "refreshed inside the 15 minutes before Expiration");
        assertEquals(2, issued.get());

        // The endpoint fails: the cached credentials serve until a minute before they expire, not after.
        failing = true;
        Instant second = now;
        now = second.plus(Duration.ofMinutes(20));
        assertEquals("ASIA2", credentials.resolve().accessKeyId());
        now = second.plus(Duration.ofMinutes(29).plusSeconds(30));
        IllegalStateException e = assertThrows(IllegalStateException.class, credentials::resolve);
        assertTrue(e.getMessage().contains("500") && e.getMessage().contains("InternalError"), e.getMessage());
        failing = false;
        assertEquals("ASIA3", credentials.resolve().accessKeyId());
    }

    @Test
    void nothingConfiguredOrAnUnsafeHostIsRefused() {
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> new LambdaCredentials(Map.of(), clock).resolve());
        assertTrue(none.getMessage().contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"), none.getMessage());
        // Plain http to a non-loopback host would hand the token to whoever answers there.
        Map<String, String> env = new HashMap<>(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.10/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN));
        IllegalStateException unsafe = assertThrows(IllegalStateException.class, () -> new LambdaCredentials(env, clock).resolve());
        assertTrue(unsafe.getMessage().contains("must be https"), unsafe.getMessage());
        assertFalse(unsafe.getMessage().contains(TOKEN));
    }
}
