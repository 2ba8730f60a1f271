package realty.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import realty.core.event.EventCodec;
import realty.core.event.EventEnvelope;
import realty.localinfra.LocalPostgres;
import realty.localinfra.LocalRabbitMq;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * A {@link LocalSystem} on the shared test PostgreSQL and RabbitMQ, in a virtual host of its own,
 * with HTTP, SQL and broker helpers for the tests. Feature harnesses extend it with their own
 * fixtures.
 */
public class TestSystem implements AutoCloseable {
    public static final String JWT_SECRET = "test-signing-key-of-at-least-thirty-two-bytes!";
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    /** The password of every user the helpers create. */
    public static final String PASSWORD = "a-long-password";

    public final LocalPostgres postgres = LocalPostgres.shared();
    public final LocalRabbitMq rabbit = LocalRabbitMq.shared();
    public final String vhost = "test-" + UUID.randomUUID();
    public final LocalSystem system;
    public final JsonMapper json;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TestSystem(Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> queueFunctions,
               Map<String, Object> properties) throws Exception {
        this(queueFunctions, properties, true);
    }

    /** @param eventSources false: nothing consumes the queues (messages wait in them, or a test hands them to a function) */
    public TestSystem(Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> queueFunctions,
               Map<String, Object> properties, boolean eventSources) throws Exception {
        this(-1, queueFunctions, properties, eventSources);
    }

    /** @param amqpPort where the system reaches the broker (e.g. a {@code FaultyLink}); -1: the broker itself */
    public TestSystem(int amqpPort, Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> queueFunctions,
               Map<String, Object> properties, boolean eventSources) throws Exception {
        this(null, amqpPort, queueFunctions, properties, eventSources);
    }

    /**
     * @param jdbcUrl  where the whole system (API and queue functions) reaches the database, e.g. through a
     *                 {@code FaultyLink}; null: the database itself
     * @param amqpPort where it reaches the broker; -1: the broker itself
     */
    public TestSystem(String jdbcUrl, int amqpPort, Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> queueFunctions,
               Map<String, Object> properties, boolean eventSources) throws Exception {
        rabbit.createVirtualHost(vhost);
        system = LocalSystem.start(settings(jdbcUrl == null ? postgres.jdbcUrl() : jdbcUrl, amqpPort < 0 ? rabbit.port() : amqpPort,
                queueFunctions, properties, eventSources));
        json = system.apiContext().getBean(JsonMapper.class);
    }

    public LocalSystem.Settings settings(int amqpPort, Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> queueFunctions,
                                  Map<String, Object> properties, boolean eventSources) {
        return settings(postgres.jdbcUrl(), amqpPort, queueFunctions, properties, eventSources);
    }

    public LocalSystem.Settings settings(String jdbcUrl, int amqpPort,
                                         Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> queueFunctions,
                                         Map<String, Object> properties, boolean eventSources) {
        Map<String, Object> props = new HashMap<>(properties);
        props.putIfAbsent("realty.security.bcrypt-cost", 4);
        props.putIfAbsent("realty.management.uri", rabbit.managementUri());
        // Every test client is 127.0.0.1 on one shared database: without this, the per-source limit of
        // individually audited refusals would depend on what other test classes refused before.
        props.putIfAbsent("realty.security.refusal-audit.limit", 1_000_000);
        // Likewise for login throttling (every client is 127.0.0.1, "admin" is shared): the throttling
        // tests set the real limits on a database of their own (realty.local.security.LoginThrottleTest).
        props.putIfAbsent("realty.security.login-throttle.source-limit", 1_000_000);
        props.putIfAbsent("realty.security.login-throttle.account-limit", 1_000_000);
        props.putIfAbsent("realty.security.password-throttle.reset-email-limit", 1_000_000);
        props.putIfAbsent("realty.security.password-throttle.reset-source-limit", 1_000_000);
        props.putIfAbsent("realty.security.password-throttle.change-limit", 1_000_000);
        return new LocalSystem.Settings(jdbcUrl, postgres.username(), postgres.password(), rabbit.host(), amqpPort,
                vhost, rabbit.username(), rabbit.password(), "127.0.0.1", 0, JWT_SECRET, "admin", ADMIN_PASSWORD, 50,
                Duration.ofMillis(10), eventSources, queueFunctions, props);
    }

    /**
     * A second API on the same database whose broker address answers nothing (its writes' events stay
     * PENDING), without event sources: this system's relay publishes them later.
     */
    public LocalSystem startWithoutBroker(Map<String, Object> properties) throws Exception {
        int deadPort;
        try (var s = new java.net.ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        return LocalSystem.start(settings(deadPort, Map.of(), properties, false));
    }

    /** A second API on the same broker virtual host that reaches the database at {@code jdbcUrl}, without event sources. */
    public LocalSystem startWithDatabase(String jdbcUrl, Map<String, Object> properties) throws Exception {
        return LocalSystem.start(settings(jdbcUrl, rabbit.port(), Map.of(), properties, false));
    }

    public record Response(int status, Map<String, Object> body, String contentType, String requestId) {
        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> events() {
            return (List<Map<String, Object>>) body.get("events");
        }

        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> list(String field) {
            return (List<Map<String, Object>>) body.get(field);
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> map(String field) {
            return (Map<String, Object>) body.get(field);
        }

        public String string(String field) {
            return (String) body.get(field);
        }

        /** The id of the one event of this type the write returned. */
        public UUID event(String type) {
            return events().stream().filter(e -> type.equals(e.get("type"))).map(e -> UUID.fromString((String) e.get("id")))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + type + " event in " + body.get("events")));
        }
    }

    public Response call(String method, String path, String token, Object body) throws Exception {
        return call(system.baseUrl(), method, path, token, body);
    }

    public Response call(String base, String method, String path, String token, Object body) throws Exception {
        return send(base, method, path, token, body, null);
    }

    /** As {@link #call(String, String, String, Object)} with this X-Request-Id: the correlation id of the write's events. */
    public Response callWithRequestId(String requestId, String method, String path, String token, Object body) throws Exception {
        return send(system.baseUrl(), method, path, token, body, requestId);
    }

    /** The response, if it has the expected status. */
    public Response expect(int status, Response r) {
        if (r.status() != status) {
            throw new AssertionError("expected " + status + ", got " + r.status() + " " + r.body());
        }
        return r;
    }

    public Response expect(int status, String method, String path, String token, Object body) throws Exception {
        return expect(status, call(method, path, token, body));
    }

    @SuppressWarnings("unchecked")
    private Response send(String base, String method, String path, String token, Object body, String requestId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
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
        // A JSON array answer is wrapped as {"items": [...]} so that every response reads the same way.
        Map<String, Object> parsed = r.body().length == 0 ? Map.of()
                : r.body()[0] == '[' ? Map.of("items", json.readValue(r.body(), io.micronaut.core.type.Argument.listOf(Map.class)))
                : json.readValue(r.body(), Map.class);
        return new Response(r.statusCode(), parsed, r.headers().firstValue("Content-Type").orElse(""),
                r.headers().firstValue("X-Request-Id").orElse(null));
    }

    public String login(String username, String password) throws Exception {
        Response r = call("POST", "/api/v1/auth/login", null, Map.of("username", username, "password", password));
        if (r.status() != 200) {
            throw new AssertionError("login of " + username + " answered " + r.status() + " " + r.body());
        }
        return (String) r.body().get("access_token");
    }

    public String adminToken() throws Exception {
        return login("admin", ADMIN_PASSWORD);
    }

    public String createCompany(String adminToken, String name) throws Exception {
        Response r = call("POST", "/api/v1/companies", adminToken, Map.of("name", name));
        if (r.status() != 201) {
            throw new AssertionError("company creation answered " + r.status() + " " + r.body());
        }
        return (String) r.body().get("id");
    }

    /** Creates a user (as the given caller) and returns the response. */
    public Response createUser(String token, String email, List<String> profiles, List<String> companyIds) throws Exception {
        return call("POST", "/api/v1/users", token, Map.of("email", email, "name", "Test " + email,
                "password", PASSWORD, "profiles", profiles, "companyIds", companyIds));
    }

    public static String email(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@test.realty.dev";
    }

    /** A connection of its own to the system's database, outside the system under test. */
    public java.sql.Connection sql() throws Exception {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }

    /** The first column of every row the statement returns. */
    public List<Object> column(String sql, Object... args) throws Exception {
        List<Object> out = new java.util.ArrayList<>();
        try (var c = sql(); PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getObject(1));
            }
        }
        return out;
    }

    /** The first column of the first row, or null without a row. */
    public Object value(String sql, Object... args) throws Exception {
        List<Object> rows = column(sql, args);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public long count(String sql, Object... args) throws Exception {
        return ((Number) value(sql, args)).longValue();
    }

    public int execute(String sql, Object... args) throws Exception {
        try (var c = sql(); PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    private static PreparedStatement prepare(java.sql.Connection c, String sql, Object... args) throws Exception {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    /** The event exactly as it was published: the body of its outbox row. */
    public String outboxBody(UUID eventId) throws Exception {
        return (String) value("SELECT body::text FROM outbox_events WHERE id = ?", eventId);
    }

    public Connection amqp() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(rabbit.host());
        f.setPort(rabbit.port());
        f.setUsername(rabbit.username());
        f.setPassword(rabbit.password());
        f.setVirtualHost(vhost);
        return f.newConnection("test");
    }

    /** Drains a queue's current messages (acking them) and returns them. */
    public List<GetResponse> drain(String queue) throws Exception {
        List<GetResponse> out = new java.util.ArrayList<>();
        try (Connection c = amqp(); Channel ch = c.createChannel()) {
            GetResponse r;
            while ((r = ch.basicGet(queue, true)) != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** Drains a queue until the message with this id turns up, and returns it (the other messages drained are dropped). */
    public GetResponse drainUntil(String queue, String messageId, Duration timeout) throws InterruptedException {
        return eventually(timeout, () -> drain(queue).stream().filter(g -> messageId.equals(g.getProps().getMessageId()))
                .findFirst().orElse(null));
    }

    // --- invoking a queue function directly, as Lambda's RabbitMQ event source would -------------

    /** A Lambda RabbitMQ event: these messages of one queue, in one invocation. */
    public static RabbitMQEvent batch(String queue, List<RabbitMQEvent.RabbitMessage> messages) {
        RabbitMQEvent e = new RabbitMQEvent();
        e.setEventSource("aws:rmq");
        e.setRmqMessagesByQueue(Map.of(queue + "::/", messages));
        return e;
    }

    public static RabbitMQEvent.RabbitMessage message(String id, String type, Integer priority, String correlationId, byte[] body) {
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

    /** A message taken off a queue, as the event source would pass it on. */
    public static RabbitMQEvent.RabbitMessage message(GetResponse g) {
        return message(g.getProps().getMessageId(), g.getProps().getType(), g.getProps().getPriority(),
                g.getProps().getCorrelationId(), g.getBody());
    }

    /** The envelope encoded as the system publishes it. */
    public byte[] encode(EventEnvelope event) {
        return system.apiContext().getBean(EventCodec.class).encode(event);
    }

    /** A Lambda context with a minute's time budget, for invoking a function's handler directly. */
    public static Context lambdaContext(String function) {
        return new LocalLambdaContext(function, 60_000);
    }

    /** Polls (every 50 ms) until the probe answers something other than null or false. */
    public static <T> T eventually(Duration timeout, Callable<T> probe) throws InterruptedException {
        return eventually(timeout, Duration.ofMillis(50), probe);
    }

    public static <T> T eventually(Duration timeout, Duration pollEvery, Callable<T> probe) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        T value = null;
        Exception error = null;
        while (System.nanoTime() < end) {
            try {
                value = probe.call();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (Exception e) {
                error = e; // not there yet
            }
            Thread.sleep(pollEvery.toMillis());
        }
        throw new AssertionError("condition not met within " + timeout + " (last value " + value + ")", error);
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
