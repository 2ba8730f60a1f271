package realty.local.security;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import realty.localinfra.LocalPostgres;
import realty.local.TestSystem;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A test system on a database of its own (created here, dropped on close): login throttling counts
 * per source address and "admin" is one row, so these tests must not share either with the other
 * test classes. Logins can also be sent as API Gateway events from any source address, as Lambda
 * receives them.
 */
class OwnDatabaseSystem extends TestSystem {
    static final String FORGED = "203.0.113.250";
    private final String database;
    private final String url;
    private String admin;
    private String agency;

    OwnDatabaseSystem(String database, Map<String, Object> properties) throws Exception {
        super(create(database), -1, Map.of(), properties, true);
        this.database = database;
        this.url = urlOf(database);
    }

    private static String urlOf(String database) {
        return LocalPostgres.shared().jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    }

    private static String create(String database) throws Exception {
        LocalPostgres pg = LocalPostgres.shared();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        return urlOf(database);
    }

    /** Logs the platform admin in and makes the company whose agents {@link #agent} creates. */
    void openAgency(String name) throws Exception {
        admin = adminToken();
        agency = createCompany(admin, name);
    }

    /** A new agent of the agency ({@link #openAgency} first); returns its e-mail, its password is {@link #PASSWORD}. */
    String agent(String prefix) throws Exception {
        String email = TestSystem.email(prefix);
        expect(201, createUser(admin, email, List.of("agent"), List.of(agency)));
        return email;
    }

    static String name(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Override
    public Connection sql() throws Exception {
        return DriverManager.getConnection(url, postgres.username(), postgres.password());
    }

    record Answer(int status, Map<String, Object> body, Long retryAfter) {
    }

    /** {@code POST /api/v1/auth/login} handed to the API function as API Gateway would, from {@code sourceIp}. */
    Answer login(String sourceIp, String username, String password) throws Exception {
        return post(sourceIp, "/api/v1/auth/login", null, Map.of("username", username, "password", password));
    }

    /** A POST with a JSON body (and a bearer token, when given) handed to the API function as API Gateway would. */
    @SuppressWarnings("unchecked")
    Answer post(String sourceIp, String path, String token, Object bodyObject) throws Exception {
        String body = json.writeValueAsString(bodyObject);
        Map<String, String> headers = new java.util.HashMap<>(Map.of("content-type", "application/json",
                "user-agent", "throttle-test", "x-forwarded-for", FORGED));
        if (token != null) {
            headers.put("authorization", "Bearer " + token);
        }
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey("$default").withRawPath(path).withRawQueryString("")
                // X-Forwarded-For is anyone's to write: the throttle must key on the gateway's sourceIp, never on it
                .withHeaders(headers)
                .withBody(body).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000").withApiId("test").withDomainName("localhost").withDomainPrefix("localhost")
                        .withRequestId(UUID.randomUUID().toString()).withRouteKey("$default").withStage("$default")
                        .withTimeEpoch(Instant.now().toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath(path)
                                .withProtocol("HTTP/1.1").withSourceIp(sourceIp).withUserAgent("throttle-test").build())
                        .build())
                .build();
        APIGatewayV2HTTPResponse r = system.api().handleRequest(event, lambdaContext("api-function"));
        Long retryAfter = null;
        if (r.getHeaders() != null) {
            for (Map.Entry<String, String> h : r.getHeaders().entrySet()) {
                if (h.getKey().toLowerCase(Locale.ROOT).equals("retry-after")) {
                    retryAfter = Long.parseLong(h.getValue());
                }
            }
        }
        if (retryAfter == null && r.getMultiValueHeaders() != null) {
            for (var h : r.getMultiValueHeaders().entrySet()) {
                if (h.getKey().toLowerCase(Locale.ROOT).equals("retry-after")) {
                    retryAfter = Long.parseLong(h.getValue().get(0));
                }
            }
        }
        Map<String, Object> parsed = r.getBody() == null || r.getBody().isEmpty() ? Map.of() : json.readValue(r.getBody(), Map.class);
        return new Answer(r.getStatusCode(), parsed, retryAfter);
    }

    @Override
    public void close() {
        super.close();
        LocalPostgres pg = LocalPostgres.shared();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (Exception e) {
            // best effort
        }
    }
}
