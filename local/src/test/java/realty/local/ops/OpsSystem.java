package realty.local.ops;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import realty.local.LocalSystem;
import realty.localinfra.LocalPostgres;
import realty.localinfra.LocalRabbitMq;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The whole local system for the operations tests, on the shared test PostgreSQL and RabbitMQ in a
 * virtual host of its own, with the management API pointed at the test broker, and HTTP, SQL and
 * AMQP helpers.
 */
final class OpsSystem implements AutoCloseable {
    static final String JWT_SECRET = "ops-test-signing-key-of-at-least-thirty-two-bytes";
    static final String ADMIN_PASSWORD = "admin-password-for-ops-tests";

    final LocalPostgres postgres = LocalPostgres.shared();
    final LocalRabbitMq rabbit = LocalRabbitMq.shared();
    final String vhost = "ops-" + UUID.randomUUID();
    final LocalSystem system;
    final JsonMapper json;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    OpsSystem(Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> queueFunctions,
              Map<String, Object> properties) throws Exception {
        rabbit.createVirtualHost(vhost);
        system = LocalSystem.start(settings(rabbit.port(), queueFunctions, properties, true));
        json = system.apiContext().getBean(JsonMapper.class);
    }

    LocalSystem.Settings settings(int amqpPort, Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> queueFunctions,
                                  Map<String, Object> properties, boolean eventSources) {
        Map<String, Object> props = new HashMap<>(properties);
        props.putIfAbsent("realty.security.bcrypt-cost", 4);
        props.putIfAbsent("realty.management.uri", rabbit.managementUri());
        return new LocalSystem.Settings(postgres.jdbcUrl(), postgres.username(), postgres.password(), rabbit.host(), amqpPort,
                vhost, rabbit.username(), rabbit.password(), "127.0.0.1", 0, JWT_SECRET, "admin", ADMIN_PASSWORD, 50,
                Duration.ofMillis(10), eventSources, queueFunctions, props);
    }

    record Response(int status, Map<String, Object> body) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list(String field) {
            return (List<Map<String, Object>>) body.get(field);
        }
    }

    Response call(String method, String path, String token, Object body) throws Exception {
        return call(system.baseUrl(), method, path, token, body);
    }

    @SuppressWarnings("unchecked")
    Response call(String base, String method, String path, String token, Object body) throws Exception {
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
        Map<String, Object> parsed = r.body().length == 0 ? Map.of() : json.readValue(r.body(), Map.class);
        return new Response(r.statusCode(), parsed);
    }

    String text(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(system.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode());
        }
        return r.body();
    }

    String login(String username, String password) throws Exception {
        Response r = call("POST", "/api/v1/auth/login", null, Map.of("username", username, "password", password));
        if (r.status() != 200) {
            throw new AssertionError("login of " + username + " answered " + r.status() + " " + r.body());
        }
        return (String) r.body().get("access_token");
    }

    String adminToken() throws Exception {
        return login("admin", ADMIN_PASSWORD);
    }

    String createCompany(String adminToken, String name) throws Exception {
        Response r = call("POST", "/api/v1/companies", adminToken, Map.of("name", name));
        if (r.status() != 201) {
            throw new AssertionError("company creation answered " + r.status() + " " + r.body());
        }
        return (String) r.body().get("id");
    }

    /** Creates a user and returns the id of its {@code user.created} event. */
    UUID createUser(String token, String email, String companyId) throws Exception {
        Response r = call("POST", "/api/v1/users", token, Map.of("email", email, "name", "Ops " + email,
                "password", "a-long-password", "profiles", List.of("agent"), "companyIds", List.of(companyId)));
        if (r.status() != 201) {
            throw new AssertionError("user creation answered " + r.status() + " " + r.body());
        }
        return UUID.fromString((String) r.list("events").get(0).get("id"));
    }

    static String email(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@ops.realty.dev";
    }

    long count(String sql, Object... args) {
        try (var c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String outboxBody(UUID eventId) {
        try (var c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             PreparedStatement ps = c.prepareStatement("SELECT body::text FROM outbox_events WHERE id = ?")) {
            ps.setObject(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Connection amqp() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(rabbit.host());
        f.setPort(rabbit.port());
        f.setUsername(rabbit.username());
        f.setPassword(rabbit.password());
        f.setVirtualHost(vhost);
        return f.newConnection("ops-test");
    }

    /** Publishes persistent messages with confirms, as the system's own publishers do. */
    void publish(String exchange, String routingKey, List<Message> messages) throws Exception {
        try (Connection c = amqp(); Channel ch = c.createChannel()) {
            ch.confirmSelect();
            for (Message m : messages) {
                AMQP.BasicProperties p = new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                        .messageId(m.id()).type(m.type()).timestamp(new Date()).priority(5).headers(m.headers()).build();
                ch.basicPublish(exchange, routingKey, p, m.body().getBytes(StandardCharsets.UTF_8));
            }
            ch.waitForConfirmsOrDie(10_000);
        }
    }

    record Message(String id, String type, Map<String, Object> headers, String body) {
    }

    long depth(String queue) throws Exception {
        try (Connection c = amqp(); Channel ch = c.createChannel()) {
            return ch.messageCount(queue);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> queueView(String token, String queue) throws Exception {
        Response r = call("GET", "/api/v1/admin/queues", token, null);
        if (r.status() != 200) {
            throw new AssertionError("GET /api/v1/admin/queues answered " + r.status() + " " + r.body());
        }
        return r.list("queues").stream().filter(q -> queue.equals(q.get("queue"))).findFirst()
                .orElseThrow(() -> new AssertionError("no queue " + queue + " in " + r.body()));
    }

    static <T> T eventually(Duration timeout, Supplier<T> probe) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        T value = null;
        Exception last = null;
        while (System.nanoTime() < end) {
            try {
                value = probe.get();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met within " + timeout + " (last value " + value + ", last error " + last + ")");
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
