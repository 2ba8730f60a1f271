package realty.local.fault;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.local.LocalSystem;
import realty.local.TestSystem;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With its database unreachable the API answers 503 with Retry-After, like {@code /health}, and
 * writes nothing; it recovers by itself when the database is back. Before the fix it answered 500
 * after the pool's connection timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageTest {
    private static final long CONNECTION_TIMEOUT_MS = 1500;
    /** Hikari validates a pooled connection on loan only if it was last used longer ago than this. */
    private static final long HIKARI_ALIVE_BYPASS_MS = 500;
    private TestSystem t;
    private FaultyLink link;
    private LocalSystem api;
    private String manager;
    private String company;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        String admin = t.adminToken();
        company = t.createCompany(admin, "Outage Agency");
        String email = TestSystem.email("manager");
        t.expect(201, t.createUser(admin, email, List.of("manager"), List.of(company)));
        manager = t.login(email, TestSystem.PASSWORD);

        URI db = URI.create(t.postgres.jdbcUrl().substring("jdbc:".length()));
        link = new FaultyLink(db.getHost(), db.getPort());
        String proxied = t.postgres.jdbcUrl().replace(db.getHost() + ":" + db.getPort(), "127.0.0.1:" + link.port());
        api = t.startWithDatabase(proxied, Map.of("datasources.default.connection-timeout", CONNECTION_TIMEOUT_MS));
    }

    @AfterAll
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        if (link != null) {
            link.close();
        }
        t.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .header("Authorization", "Bearer " + manager).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return t.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertUnavailable(HttpResponse<String> r) {
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.body());
        assertTrue(r.headers().firstValue("Retry-After").isPresent(), "no Retry-After: " + r.headers().map());
    }

    @Test
    void readsAndWritesAnswer503WhileTheDatabaseIsDownAndRecoverAfter() throws Exception {
        assertEquals(200, send("GET", "/api/v1/properties?companyId=" + company, null).statusCode());

        link.cut();
        try {
            assertUnavailable(send("GET", "/api/v1/properties?companyId=" + company, null));
            assertUnavailable(send("POST", "/api/v1/properties", "{\"companyId\":\"" + company + "\",\"referenceCode\":\"DOWN-1\","
                    + "\"title\":\"Casa\",\"type\":\"house\",\"price\":\"100000.00\",\"forSale\":true}"));
        } finally {
            link.restore();
        }
        assertEquals(0, t.count("SELECT count(*) FROM properties WHERE reference_code = 'DOWN-1'"));

        int status = TestSystem.eventually(Duration.ofSeconds(20), () -> {
            int s = send("GET", "/api/v1/properties?companyId=" + company, null).statusCode();
            return s == 200 ? s : null;
        });
        assertEquals(200, status);
    }

    /**
     * The request's own connection could not be had: it answers 503 then, instead of running unbound
     * and waiting out the pool's connection timeout a second time to resolve the caller.
     */
    @Test
    void anAuthenticatedRequestWaitsOutOneConnectionTimeoutNotTwo() throws Exception {
        awaitRecovery();
        link.cut();
        try {
            // Until the pool has found its connections dead it hands them out at once and the first
            // statement fails; once it has, it waits for a new one until the connection timeout.
            assertUnavailable(send("GET", "/api/v1/properties?companyId=" + company, null));
            Thread.sleep(HIKARI_ALIVE_BYPASS_MS + 100);
            long started = System.nanoTime();
            assertUnavailable(send("GET", "/api/v1/properties?companyId=" + company, null));
            long elapsedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(elapsedMs < 2 * CONNECTION_TIMEOUT_MS, "503 after " + elapsedMs + " ms: waited for the pool more than once");
        } finally {
            link.restore();
        }
        awaitRecovery();
    }

    private void awaitRecovery() throws Exception {
        int status = TestSystem.eventually(Duration.ofSeconds(20), () -> {
            int s = send("GET", "/api/v1/properties?companyId=" + company, null).statusCode();
            return s == 200 ? s : null;
        });
        assertEquals(200, status);
    }
}
