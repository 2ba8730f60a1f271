package realty.local.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.local.LocalSystem;
import realty.local.TestSystem;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every refused token answers 401 and leaves a {@code security.access_denied} row in the audit log
 * with the request's id and source (targets.md R5). Before the fix only 2 of 23 refusals were
 * audited: the security filter answered before the audit filter saw the response.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenRefusalAuditTest {
    private TestSystem t;
    private String manager;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        String admin = t.adminToken();
        String company = t.createCompany(admin, "Token Agency");
        String email = TestSystem.email("manager");
        t.expect(201, t.createUser(admin, email, List.of("manager"), List.of(company)));
        manager = t.login(email, TestSystem.PASSWORD);
    }

    @AfterAll
    void stop() {
        t.close();
    }

    private static String sign(JWTClaimsSet claims, String key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    /** Hostile tokens by name; null = no Authorization header at all. */
    private Map<String, String> corpus() throws Exception {
        JWTClaimsSet valid = SignedJWT.parse(manager).getJWTClaimsSet();
        String[] parts = manager.split("\\.");
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("no token", null);
        tokens.put("garbage", "not-a-jwt");
        tokens.put("alg none", new PlainJWT(valid).serialize());
        tokens.put("stripped signature", parts[0] + "." + parts[1] + ".");
        tokens.put("wrong key", sign(valid, "another-signing-key-of-at-least-32-bytes!!"));
        String tamperedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new JWTClaimsSet.Builder(valid).claim("roles", List.of("platform_admin")).build().toString()
                        .getBytes(StandardCharsets.UTF_8));
        tokens.put("tampered claims", parts[0] + "." + tamperedPayload + "." + parts[2]);
        tokens.put("expired", sign(new JWTClaimsSet.Builder(valid)
                .expirationTime(Date.from(Instant.now().minusSeconds(60))).build(), TestSystem.JWT_SECRET));
        tokens.put("not yet valid", sign(new JWTClaimsSet.Builder(valid)
                .notBeforeTime(Date.from(Instant.now().plusSeconds(3600))).build(), TestSystem.JWT_SECRET));
        return tokens;
    }

    private long deniedRows(String requestId) throws Exception {
        return t.count("SELECT count(*) FROM audit_logs WHERE event_type = 'security.access_denied' AND request_id = ?", requestId);
    }

    private String junk(String base) throws Exception {
        HttpResponse<String> r = t.http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/me"))
                .header("Authorization", "Bearer junk-" + UUID.randomUUID()).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), r.body());
        return r.headers().firstValue("X-Request-Id").orElseThrow();
    }

    @Test
    void aFloodOfJunkTokensIsAuditedAsItsFirstRefusalsAndOneSummary() throws Exception {
        int limit = 5;
        long windowMillis = 4_000;
        try (LocalSystem flood = t.startWithDatabase(t.postgres.jdbcUrl(), Map.of(
                "realty.security.refusal-audit.limit", limit, "realty.security.refusal-audit.window", windowMillis + "ms"))) {
            // Start at the beginning of a window, so that every refusal of this window is this test's; not
            // on a minute boundary, where the other systems' one-minute windows of 127.0.0.1 start too.
            Instant windowStart;
            do {
                Thread.sleep(windowMillis - System.currentTimeMillis() % windowMillis + 50);
                windowStart = Instant.ofEpochMilli(System.currentTimeMillis() / windowMillis * windowMillis);
            } while (windowStart.toEpochMilli() % 60_000 == 0);
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 25; i++) {
                ids.add(junk(flood.baseUrl()));
            }
            assertTrue(System.currentTimeMillis() < windowStart.toEpochMilli() + windowMillis, "the flood outlasted its window");

            String summaryOf = "127.0.0.1@" + windowStart;
            TestSystem.eventually(Duration.ofSeconds(20), () -> t.count("SELECT count(*) FROM audit_logs "
                    + "WHERE event_type = 'security.access_denied' AND resource_type = 'source' AND resource_id = ?", summaryOf) == 1);
            long individual = 0;
            for (String id : ids) {
                individual += deniedRows(id);
            }
            assertEquals(limit, individual, "refusals audited one by one");
            assertEquals("20", String.valueOf(t.value("SELECT data->>'refusals' FROM audit_logs "
                    + "WHERE resource_type = 'source' AND resource_id = ?", summaryOf)), "refusals in the summary");
        }
    }

    @Test
    void theTokenOfADeactivatedUserIsRefusedAndAudited() throws Exception {
        String admin = t.adminToken();
        String company = t.createCompany(admin, "Deactivation Agency");
        t.expect(201, t.createUser(admin, TestSystem.email("owner"), List.of("owner"), List.of(company)));
        String email = TestSystem.email("leaver");
        String id = t.expect(201, t.createUser(admin, email, List.of("agent"), List.of(company))).string("id");
        String token = t.login(email, TestSystem.PASSWORD);
        t.expect(200, "GET", "/api/v1/me", token, null);

        t.expect(200, "PATCH", "/api/v1/users/" + id, admin, Map.of("active", false));
        TestSystem.Response r = t.call("GET", "/api/v1/me", token, null);
        assertEquals(401, r.status(), r.body().toString());
        assertTrue(TestSystem.eventually(Duration.ofSeconds(15), () -> deniedRows(r.requestId()) == 1));
    }

    @Test
    void aTokenIssuedBeforeAProfileChangeCarriesOnlyTheNewProfile() throws Exception {
        String admin = t.adminToken();
        String company = t.createCompany(admin, "Demotion Agency");
        t.expect(201, t.createUser(admin, TestSystem.email("owner"), List.of("owner"), List.of(company)));
        String email = TestSystem.email("demoted");
        String id = t.expect(201, t.createUser(admin, email, List.of("manager"), List.of(company))).string("id");
        String token = t.login(email, TestSystem.PASSWORD);
        t.expect(201, t.createUser(token, TestSystem.email("hired"), List.of("agent"), List.of(company)));

        // The profiles in the token are not trusted: the caller is loaded from the database on every request.
        t.expect(200, "PATCH", "/api/v1/users/" + id, admin, Map.of("profiles", List.of("agent")));
        String hire = TestSystem.email("not-hired");
        TestSystem.Response r = t.createUser(token, hire, List.of("agent"), List.of(company));
        assertEquals(403, r.status(), r.body().toString());
        assertEquals(0, t.count("SELECT count(*) FROM users WHERE email = ?", hire));
        assertTrue(TestSystem.eventually(Duration.ofSeconds(15), () -> deniedRows(r.requestId()) == 1));
    }

    @Test
    void everyRefusedTokenAnswers401AndIsAudited() throws Exception {
        Map<String, String> requestIds = new LinkedHashMap<>();
        for (Map.Entry<String, String> token : corpus().entrySet()) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.system.baseUrl() + "/api/v1/me"))
                    .timeout(Duration.ofSeconds(30)).GET();
            if (token.getValue() != null) {
                b.header("Authorization", "Bearer " + token.getValue());
            }
            HttpResponse<String> r = t.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), token.getKey() + ": " + r.body());
            requestIds.put(token.getKey(), r.headers().firstValue("X-Request-Id").orElseThrow());
        }
        for (Map.Entry<String, String> refusal : requestIds.entrySet()) {
            boolean audited;
            try {
                audited = TestSystem.eventually(Duration.ofSeconds(15), () -> deniedRows(refusal.getValue()) == 1);
            } catch (AssertionError e) {
                audited = false;
            }
            assertTrue(audited, refusal.getKey() + ": no security.access_denied row for request " + refusal.getValue());
        }
    }
}
