package realty.local.notification;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.micronaut.json.JsonMapper;
import realty.core.event.EventCodec;
import realty.core.event.EventEnvelope;
import realty.local.LocalMailServer;
import realty.local.LocalSystem;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The whole system for the notification tests: a {@link LocalSystem} (with its embedded SMTP
 * server) on the shared test PostgreSQL and RabbitMQ, in a virtual host of its own, and the few
 * API, SQL and broker calls these tests make.
 */
final class NotificationHarness implements AutoCloseable {
    static final String PASSWORD = "a-long-password";
    private static final String ADMIN_PASSWORD = "admin-password-for-notification-tests";

    final LocalPostgres postgres = LocalPostgres.shared();
    final LocalRabbitMq rabbit = LocalRabbitMq.shared();
    final String vhost = "notification-" + UUID.randomUUID();
    final LocalSystem system;
    final JsonMapper json;
    private final boolean eventSources;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A company with its owner, logged in. */
    record Tenant(String companyId, String ownerEmail, String ownerToken) {
    }

    record Reply(int status, Map<String, Object> body) {
        @SuppressWarnings("unchecked")
        String eventId() {
            return (String) ((List<Map<String, Object>>) body.get("events")).get(0).get("id");
        }
    }

    NotificationHarness(Map<String, Object> properties, boolean eventSources) throws Exception {
        this.eventSources = eventSources;
        rabbit.createVirtualHost(vhost);
        Map<String, Object> props = new HashMap<>(properties);
        props.putIfAbsent("realty.security.bcrypt-cost", 4);
        system = LocalSystem.start(new LocalSystem.Settings(postgres.jdbcUrl(), postgres.username(), postgres.password(),
                rabbit.host(), rabbit.port(), vhost, rabbit.username(), rabbit.password(), "127.0.0.1", 0,
                "notification-tests-signing-key-of-32-bytes!", "admin", ADMIN_PASSWORD, 50, Duration.ofMillis(10),
                eventSources, Map.of(), props));
        json = system.apiContext().getBean(JsonMapper.class);
    }

    LocalMailServer mail() {
        return system.mailServer();
    }

    @SuppressWarnings("unchecked")
    Reply call(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(system.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), r.body().length == 0 ? Map.of() : json.readValue(r.body(), Map.class));
    }

    Reply expect(int status, String method, String path, String token, Object body) throws Exception {
        Reply r = call(method, path, token, body);
        if (r.status() != status) {
            throw new AssertionError(method + " " + path + " answered " + r.status() + ", expected " + status + ": " + r.body());
        }
        return r;
    }

    String login(String username, String password) throws Exception {
        return (String) expect(200, "POST", "/api/v1/auth/login", null, Map.of("username", username, "password", password))
                .body().get("access_token");
    }

    Tenant newTenant(String name) throws Exception {
        String admin = login("admin", ADMIN_PASSWORD);
        String companyId = (String) expect(201, "POST", "/api/v1/companies", admin, Map.of("name", name)).body().get("id");
        String owner = email("owner");
        createUser(admin, owner, "owner", companyId, "pt-BR");
        if (eventSources) {
            // Its welcome mail means the owner's user.created is through: no later subscription sees it.
            await(Duration.ofSeconds(20), () -> !mail().messagesTo(owner).isEmpty());
        }
        return new Tenant(companyId, owner, login(owner, PASSWORD));
    }

    /** Creates a user and returns the API's answer (its user.created event is {@link Reply#eventId()}). */
    Reply createUser(String token, String email, String profile, String companyId, String locale) throws Exception {
        return expect(201, "POST", "/api/v1/users", token, Map.of("email", email, "name", "Test " + profile,
                "password", PASSWORD, "profiles", List.of(profile), "companyIds", List.of(companyId), "locale", locale));
    }

    /** Subscribes the tenant to an event type and returns the creation answer (with the secret). */
    Map<String, Object> subscribe(Tenant tenant, String url, String eventType) throws Exception {
        return expect(201, "POST", "/api/v1/webhooks", tenant.ownerToken(), Map.of("url", url, "eventTypes", List.of(eventType)))
                .body();
    }

    static String email(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@notify.realty.dev";
    }

    long count(String sql, Object... args) throws Exception {
        return sql(sql, args, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    void execute(String sql, Object... args) throws Exception {
        sql(sql, args, PreparedStatement::executeUpdate);
    }

    private interface Statement<T> {
        T run(PreparedStatement ps) throws java.sql.SQLException;
    }

    /** Runs one statement on a connection of its own, outside the system under test. */
    private <T> T sql(String sql, Object[] args, Statement<T> statement) throws Exception {
        try (var c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return statement.run(ps);
        }
    }

    /** The messages now in a queue of this system's virtual host, taken off it. */
    List<GetResponse> take(String queue) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(rabbit.host());
        f.setPort(rabbit.port());
        f.setUsername(rabbit.username());
        f.setPassword(rabbit.password());
        f.setVirtualHost(vhost);
        List<GetResponse> out = new ArrayList<>();
        try (var connection = f.newConnection("notification-test"); var channel = connection.createChannel()) {
            GetResponse r;
            while ((r = channel.basicGet(queue, true)) != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** Hands one message to the notification function as Lambda's event source would. */
    void deliverToNotificationFunction(EventEnvelope event) {
        byte[] body = system.apiContext().getBean(EventCodec.class).encode(event);
        RabbitMQEvent.BasicProperties p = new RabbitMQEvent.BasicProperties();
        p.setMessageId(event.id().toString());
        p.setType(event.type());
        p.setContentType("application/json");
        p.setDeliveryMode(2);
        p.setPriority(5);
        p.setBodySize(body.length);
        RabbitMQEvent.RabbitMessage m = new RabbitMQEvent.RabbitMessage();
        m.setBasicProperties(p);
        m.setData(Base64.getEncoder().encodeToString(body));
        RabbitMQEvent batch = new RabbitMQEvent();
        batch.setEventSource("aws:rmq");
        batch.setRmqMessagesByQueue(Map.of("notification_events::" + vhost, List.of(m)));
        system.queueFunction("notification").handleRequest(batch, null); // the handler needs no Lambda context
    }

    /** Polls until the probe answers something other than null or false. */
    static <T> T await(Duration timeout, Callable<T> probe) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        T last = null;
        Exception error = null;
        while (System.nanoTime() < end) {
            try {
                last = probe.call();
                if (last != null && !Boolean.FALSE.equals(last)) {
                    return last;
                }
            } catch (Exception e) {
                error = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not reached within " + timeout + " (last: " + last + ")", error);
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
