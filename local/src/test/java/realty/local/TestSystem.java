package realty.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link LocalSystem} on the shared test PostgreSQL and RabbitMQ, in a virtual host of its own,
 * with HTTP and SQL helpers for the tests.
 */
public final class TestSystem implements AutoCloseable {
    public static final String JWT_SECRET = "test-signing-key-of-at-least-thirty-two-bytes!";
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";

    public final LocalPostgres postgres = LocalPostgres.shared();
    public final LocalRabbitMq rabbit = LocalRabbitMq.shared();
    public final String vhost = "test-" + UUID.randomUUID();
    public final LocalSystem system;
    public final JsonMapper json;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TestSystem(Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> queueFunctions,
               Map<String, Object> properties) throws Exception {
        rabbit.createVirtualHost(vhost);
        system = LocalSystem.start(settings(rabbit.port(), queueFunctions, properties, true));
        json = system.apiContext().getBean(JsonMapper.class);
    }

    public LocalSystem.Settings settings(int amqpPort, Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> queueFunctions,
                                  Map<String, Object> properties, boolean eventSources) {
        Map<String, Object> props = new HashMap<>(properties);
        props.putIfAbsent("realty.security.bcrypt-cost", 4);
        return new LocalSystem.Settings(postgres.jdbcUrl(), postgres.username(), postgres.password(), rabbit.host(), amqpPort,
                vhost, rabbit.username(), rabbit.password(), "127.0.0.1", 0, JWT_SECRET, "admin", ADMIN_PASSWORD, 50,
                Duration.ofMillis(10), eventSources, queueFunctions, props);
    }

    public record Response(int status, Map<String, Object> body, String contentType, String requestId) {
        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> events() {
            return (List<Map<String, Object>>) body.get("events");
        }
    }

    public Response call(String method, String path, String token, Object body) throws Exception {
        return call(system.baseUrl(), method, path, token, body);
    }

    @SuppressWarnings("unchecked")
    public Response call(String base, String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
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
                "password", "a-long-password", "profiles", profiles, "companyIds", companyIds));
    }

    public static String email(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@test.realty.dev";
    }

    public long count(String sql, Object... args) throws Exception {
        try (var c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
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
    public List<com.rabbitmq.client.GetResponse> drain(String queue) throws Exception {
        List<com.rabbitmq.client.GetResponse> out = new java.util.ArrayList<>();
        try (Connection c = amqp(); Channel ch = c.createChannel()) {
            com.rabbitmq.client.GetResponse r;
            while ((r = ch.basicGet(queue, true)) != null) {
                out.add(r);
            }
        }
        return out;
    }

    public static <T> T eventually(Duration timeout, Supplier<T> probe) throws InterruptedException {
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
            Thread.sleep(50);
        }
        throw new AssertionError("condition not met within " + timeout + " (last value " + value + ")");
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
