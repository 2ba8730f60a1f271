package realty.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.micronaut.context.ApplicationContext;
import realty.local.LocalSystem;
import realty.localinfra.LocalPostgres;
import realty.localinfra.LocalRabbitMq;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL and RabbitMQ the benchmark runs on (the same ones {@code scripts/local.sh} uses:
 * embedded PostgreSQL, the project-owned broker, or {@code REALTY_DB_URL} / {@code REALTY_AMQP_URI}),
 * plus one database and one virtual host per benchmark so that the phases cannot disturb each other.
 */
final class Infra implements AutoCloseable {
    static final String JWT_SECRET = "bench-signing-key-of-at-least-thirty-two-bytes!!";
    static final String ADMIN_PASSWORD = "admin-password-for-the-bench";
    private static final Pattern JDBC = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(.*)$");

    final LocalPostgres postgres;
    final LocalRabbitMq rabbit;
    private final List<String> vhosts = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();
    private final boolean keepData;

    Infra(boolean keepData) {
        this.keepData = keepData;
        this.postgres = LocalPostgres.start(new LocalPostgres.Options(null, 0));
        this.rabbit = LocalRabbitMq.start();
    }

    /** A fresh database (dropped first if a previous run left it) and its JDBC URL. */
    String createDatabase(String name) throws SQLException {
        try (var c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
        databases.add(name);
        return jdbcUrl(name);
    }

    /** Drops a database of {@link #createDatabase} before the end of the run (a big one, not needed any more). */
    void dropDatabase(String name) {
        try (var c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            databases.remove(name);
        } catch (SQLException ignored) {
            // dropped at the end of the run instead
        }
    }

    String jdbcUrl(String database) {
        Matcher m = JDBC.matcher(postgres.jdbcUrl());
        if (!m.matches()) {
            throw new IllegalStateException("cannot derive a database URL from " + postgres.jdbcUrl());
        }
        return m.group(1) + database + m.group(3);
    }

    /** host and port of the server, for pgbench */
    String[] hostPort() {
        Matcher m = Pattern.compile("^jdbc:postgresql://([^:/]+)(?::(\\d+))?/.*").matcher(postgres.jdbcUrl());
        if (!m.matches()) {
            throw new IllegalStateException("cannot read host and port from " + postgres.jdbcUrl());
        }
        return new String[]{m.group(1), m.group(2) == null ? "5432" : m.group(2)};
    }

    String createVhost(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        rabbit.createVirtualHost(name);
        vhosts.add(name);
        return name;
    }

    void deleteVhost(String name) {
        try {
            rabbit.deleteVirtualHost(name);
        } catch (RuntimeException ignored) {
            // best effort
        }
        vhosts.remove(name);
    }

    ConnectionFactory amqp(String vhost) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(rabbit.host());
        f.setPort(rabbit.port());
        f.setUsername(rabbit.username());
        f.setPassword(rabbit.password());
        f.setVirtualHost(vhost);
        return f;
    }

    Connection amqpConnection(String vhost, String name) throws Exception {
        return amqp(vhost).newConnection(name);
    }

    /** The whole system (API, relay, queue functions) on a database and virtual host. */
    LocalSystem startSystem(String jdbcUrl, String vhost, int amqpPort, boolean eventSources, int batchSize,
                            Duration batchWindow, Map<String, Object> properties) throws Exception {
        Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> real = Map.of();
        return LocalSystem.start(new LocalSystem.Settings(jdbcUrl, postgres.username(), postgres.password(),
                rabbit.host(), amqpPort, vhost, rabbit.username(), rabbit.password(), "127.0.0.1", 0, JWT_SECRET,
                "admin", ADMIN_PASSWORD, batchSize, batchWindow, eventSources, real, new HashMap<>(properties)));
    }

    long count(String jdbcUrl, String sql, Object... args) throws SQLException {
        try (var c = DriverManager.getConnection(jdbcUrl, postgres.username(), postgres.password());
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

    java.sql.Connection sql(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, postgres.username(), postgres.password());
    }

    String serverVersion() {
        try (var c = sql(postgres.jdbcUrl()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show server_version")) {
            rs.next();
            return rs.getString(1).split(" ")[0];
        } catch (SQLException e) {
            return "?";
        }
    }

    /** The broker's version from the management API's overview, or "?". */
    String brokerVersion() {
        try {
            String credentials = Base64.getEncoder().encodeToString((rabbit.username() + ":" + rabbit.password())
                    .getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(URI.create(rabbit.managementUri() + "/api/overview"))
                            .header("Authorization", "Basic " + credentials).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"rabbitmq_version\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
            return m.find() ? m.group(1) : "?";
        } catch (Exception e) {
            return "?";
        }
    }

    String amqpUri(String vhost) {
        return "amqp://" + URLEncoder.encode(rabbit.username(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(rabbit.password(), StandardCharsets.UTF_8) + "@" + rabbit.host() + ":" + rabbit.port()
                + "/" + URLEncoder.encode(vhost, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        for (String v : new ArrayList<>(vhosts)) {
            deleteVhost(v);
        }
        if (!keepData) {
            try (var c = sql(postgres.jdbcUrl()); Statement s = c.createStatement()) {
                for (String d : databases) {
                    s.execute("DROP DATABASE IF EXISTS " + d + " WITH (FORCE)");
                }
            } catch (SQLException ignored) {
                // the embedded server goes away with its temporary directory anyway
            }
        }
        postgres.close();
        rabbit.close();
    }
}
