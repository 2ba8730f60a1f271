package realty.local.sale;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import realty.local.LocalSystem;
import realty.localinfra.LocalPostgres;
import realty.localinfra.LocalRabbitMq;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The whole system for the sale tests, on the shared test PostgreSQL and RabbitMQ in a virtual host
 * of its own: an API client, direct SQL (agents and properties are inserted here, since their API is
 * another feature's), and broker helpers.
 */
final class SaleTestSystem implements AutoCloseable {
    static final String PASSWORD = "a-long-password";
    private static final String ADMIN_PASSWORD = "admin-password-for-sale-tests";

    final LocalPostgres postgres = LocalPostgres.shared();
    final LocalRabbitMq rabbit = LocalRabbitMq.shared();
    final String vhost = "test-sales-" + UUID.randomUUID();
    final LocalSystem system;
    final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SaleTestSystem(Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> queueFunctions,
                   Map<String, Object> properties) throws Exception {
        rabbit.createVirtualHost(vhost);
        Map<String, Object> props = new HashMap<>(properties);
        props.putIfAbsent("realty.security.bcrypt-cost", 4);
        system = LocalSystem.start(new LocalSystem.Settings(postgres.jdbcUrl(), postgres.username(), postgres.password(),
                rabbit.host(), rabbit.port(), vhost, rabbit.username(), rabbit.password(), "127.0.0.1", 0,
                "sale-tests-signing-key-of-at-least-32-bytes", "admin", ADMIN_PASSWORD, 50, Duration.ofMillis(10), true,
                queueFunctions, props));
        json = system.apiContext().getBean(JsonMapper.class);
    }

    // --- HTTP ----------------------------------------------------------------------------------

    record Response(int status, Map<String, Object> body) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list(String field) {
            return (List<Map<String, Object>>) body.get(field);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(String field) {
            return (Map<String, Object>) body.get(field);
        }

        String string(String field) {
            return (String) body.get(field);
        }

        /** The id of the one event of this type the write returned. */
        UUID event(String type) {
            return list("events").stream().filter(e -> type.equals(e.get("type"))).map(e -> UUID.fromString((String) e.get("id")))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + type + " event in " + body.get("events")));
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Response call(String method, String path, String token, Object body) throws Exception {
        return call(method, path, token, body, null);
    }

    @SuppressWarnings("unchecked")
    Response call(String method, String path, String token, Object body, String requestId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(system.baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (requestId != null) {
            b.header("X-Request-Id", requestId);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.body().length == 0 ? Map.of() : json.readValue(r.body(), Map.class));
    }

    Response ok(int expected, Response r) {
        if (r.status() != expected) {
            throw new AssertionError("expected " + expected + ", got " + r);
        }
        return r;
    }

    String login(String username, String password) throws Exception {
        return (String) ok(200, call("POST", "/api/v1/auth/login", null, Map.of("username", username, "password", password)))
                .body().get("access_token");
    }

    String adminToken() throws Exception {
        return login("admin", ADMIN_PASSWORD);
    }

    UUID createCompany(String admin, String name) throws Exception {
        return UUID.fromString(ok(201, call("POST", "/api/v1/companies", admin, Map.of("name", name))).string("id"));
    }

    /** A user with these profiles in this company; returns its id and a token. */
    record User(UUID id, String token) {
    }

    User user(String creatorToken, UUID company, String... profiles) throws Exception {
        String email = String.join("-", profiles) + "-" + UUID.randomUUID().toString().substring(0, 8) + "@sales.realty.dev";
        Response r = ok(201, call("POST", "/api/v1/users", creatorToken, Map.of("email", email, "name", "Test " + email,
                "password", PASSWORD, "profiles", List.of(profiles), "companyIds", List.of(company.toString()))));
        return new User(UUID.fromString(r.string("id")), login(email, PASSWORD));
    }

    // --- SQL fixture ---------------------------------------------------------------------------

    Connection sql() throws Exception {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }

    Object value(String query, Object... args) throws Exception {
        try (Connection c = sql(); PreparedStatement ps = prepare(c, query, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    long count(String query, Object... args) throws Exception {
        return ((Number) value(query, args)).longValue();
    }

    int execute(String statement, Object... args) throws Exception {
        try (Connection c = sql(); PreparedStatement ps = prepare(c, statement, args)) {
            return ps.executeUpdate();
        }
    }

    UUID agent(UUID company, UUID userId) throws Exception {
        UUID id = UUID.randomUUID();
        execute("INSERT INTO agents (id, company_id, user_id, name) VALUES (?, ?, ?, ?)", id, company, userId, "Agent " + id);
        return id;
    }

    UUID property(UUID company, UUID agentId, UUID prospectorId) throws Exception {
        return properties(company, agentId, prospectorId, 1).get(0);
    }

    /** {@code n} available properties of one agent and prospector, in one statement. */
    List<UUID> properties(UUID company, UUID agentId, UUID prospectorId, int n) throws Exception {
        List<UUID> ids = new ArrayList<>(n);
        try (Connection c = sql(); PreparedStatement ps = prepare(c, """
                INSERT INTO properties (id, company_id, reference_code, title, type, price, agent_id, prospector_id, created_by)
                SELECT gen_random_uuid(), ?, ? || '-' || g, 'Property ' || g, 'house', 500000, ?, ?, 'sale-test'
                FROM generate_series(1, ?) g RETURNING id""", company, UUID.randomUUID().toString(), agentId, prospectorId, n);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws Exception {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    // --- broker --------------------------------------------------------------------------------

    /** Takes (and acks) every message currently in a queue. */
    List<GetResponse> drain(String queue) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(rabbit.host());
        f.setPort(rabbit.port());
        f.setUsername(rabbit.username());
        f.setPassword(rabbit.password());
        f.setVirtualHost(vhost);
        List<GetResponse> out = new ArrayList<>();
        try (com.rabbitmq.client.Connection c = f.newConnection("sale-test"); Channel ch = c.createChannel()) {
            GetResponse r;
            while ((r = ch.basicGet(queue, true)) != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** A Lambda RabbitMQ event with these messages, as the event source would hand them to the function. */
    static RabbitMQEvent batch(String queue, List<GetResponse> messages) {
        List<RabbitMQEvent.RabbitMessage> out = new ArrayList<>();
        for (GetResponse g : messages) {
            out.add(message(g.getProps().getMessageId(), g.getProps().getType(), g.getProps().getPriority(),
                    g.getProps().getCorrelationId(), g.getBody()));
        }
        RabbitMQEvent e = new RabbitMQEvent();
        e.setEventSource("aws:rmq");
        e.setRmqMessagesByQueue(Map.of(queue + "::/", out));
        return e;
    }

    static RabbitMQEvent.RabbitMessage message(String id, String type, Integer priority, String correlationId, byte[] body) {
        RabbitMQEvent.BasicProperties p = new RabbitMQEvent.BasicProperties();
        p.setMessageId(id);
        p.setType(type);
        p.setContentType("application/json");
        p.setDeliveryMode(2);
        p.setPriority(priority == null ? 0 : priority);
        p.setCorrelationId(correlationId);
        p.setBodySize(body.length);
        RabbitMQEvent.RabbitMessage m = new RabbitMQEvent.RabbitMessage();
        m.setBasicProperties(p);
        m.setData(Base64.getEncoder().encodeToString(body));
        return m;
    }

    /** A Lambda context for invoking a handler directly (the local runner's own is package-private). */
    static com.amazonaws.services.lambda.runtime.Context lambdaContext(String function) {
        return (com.amazonaws.services.lambda.runtime.Context) java.lang.reflect.Proxy.newProxyInstance(
                SaleTestSystem.class.getClassLoader(), new Class<?>[]{com.amazonaws.services.lambda.runtime.Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemainingTimeInMillis" -> 60_000;
                    case "getMemoryLimitInMB" -> 512;
                    case "getFunctionName", "getLogGroupName", "getLogStreamName" -> function;
                    case "getAwsRequestId" -> UUID.randomUUID().toString();
                    case "toString" -> "test context of " + function;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    static <T> T eventually(Duration timeout, Supplier<T> probe) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        T value = null;
        while (System.nanoTime() < end) {
            try {
                value = probe.get();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (Exception ignored) {
                // not there yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("condition not met within " + timeout + " (last value " + value + ")");
    }

    static BigDecimal money(Object o) {
        return new BigDecimal(String.valueOf(o));
    }

    @Override
    public void close() {
        system.close();
        try {
            rabbit.deleteVirtualHost(vhost);
        } catch (RuntimeException ignored) {
            // best effort
        }
    }
}
