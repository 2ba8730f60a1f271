package realty.runtimecheck.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import jakarta.mail.internet.MimeMessage;
import realty.localinfra.LocalPostgres;
import realty.localinfra.LocalRabbitMq;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What one run of the suite deploys against: a fresh database (and login role) on local-infra's
 * PostgreSQL, a fresh virtual host on its RabbitMQ, the secrets the deployments name (in the
 * Secrets Manager stand-in, with the JSON keys realty.core.config.AwsSecrets maps), an SMTP sink,
 * and the local values of the deployment tokens. Everything is removed on {@link #close()}; the
 * servers themselves are local-infra's shared ones, which stop with the JVM.
 */
public final class LocalCloud implements AutoCloseable {
    public static final String ADMIN_USERNAME = "platform-admin";

    private final LocalPostgres postgres = LocalPostgres.shared();
    private final LocalRabbitMq rabbit = LocalRabbitMq.shared();
    private final AwsPlatform platform = AwsPlatform.shared();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String name;
    private final String database;
    private final String dbUser;
    private final String dbPassword;
    private final String vhost;
    private final String adminPassword;
    private final GreenMail smtp;
    private final Map<String, String> secretArns = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> secretValues = new LinkedHashMap<>();
    private final String jdbcUrl;

    /** @param name short, lower-case: names the database, role, virtual host and secrets */
    public LocalCloud(String name) throws SQLException {
        this.name = name;
        // The test JVM's pid is part of every name, so that what a killed run left behind is recognised.
        long pid = ProcessHandle.current().pid();
        String suffix = pid + "_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        database = "rt_" + name + "_" + suffix;
        dbUser = database;
        dbPassword = random(24);
        vhost = "runtime-check-" + name + "-" + suffix;
        removeLeftoversOfDeadRuns();
        adminPassword = random(20);
        try (var c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             var s = c.createStatement()) {
            s.execute("CREATE ROLE " + dbUser + " LOGIN PASSWORD '" + dbPassword + "'");
            s.execute("CREATE DATABASE " + database + " OWNER " + dbUser);
        }
        jdbcUrl = withDatabase(postgres.jdbcUrl(), database);
        rabbit.createVirtualHost(vhost);
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        smtp.start();

        secret("database", Map.of("username", dbUser, "password", dbPassword));
        secret("broker", Map.of("username", rabbit.username(), "password", rabbit.password()));
        secret("jwt", Map.of("key", random(48)));
        secret("platform-admin", Map.of("username", ADMIN_USERNAME, "password", adminPassword));
        secret("smtp", Map.of("username", "smtp-user", "password", random(16)));
        secret("invitations", Map.of("key", random(48)));
    }

    /**
     * Databases, roles and virtual hosts of earlier runs whose test JVM is gone (killed before its
     * clean-up ran) are removed.
     */
    private void removeLeftoversOfDeadRuns() throws SQLException {
        java.util.regex.Pattern owned = java.util.regex.Pattern.compile("^(?:rt_|runtime-check-)[a-z]+[_-](\\d+)_[0-9a-f]{8}$");
        try (var c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             var s = c.createStatement()) {
            List<String> stale = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'rt\\_%'")) {
                while (rs.next()) {
                    stale.add(rs.getString(1));
                }
            }
            for (String db : stale) {
                var m = owned.matcher(db);
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "'");
                    s.execute("DROP DATABASE IF EXISTS " + db);
                    s.execute("DROP ROLE IF EXISTS " + db);
                }
            }
        }
        try {
            for (JsonNode v : management("GET", "/api/vhosts?columns=name")) {
                var m = owned.matcher(v.path("name").asText());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    rabbit.deleteVirtualHost(v.path("name").asText());
                }
            }
        } catch (Exception ignored) {
            // best effort
        }
    }

    /**
     * Local values of the deployment tokens that name infrastructure: Terraform variables of the
     * functions module ({@code var.NAME}) and SAM parameters ({@code !Ref Name}). Everything else
     * resolves to the defaults the files declare, or fails.
     */
    public Map<String, String> tokens() {
        Map<String, String> t = new LinkedHashMap<>();
        String amqp = "amqp://" + rabbit.host() + ":" + rabbit.port();
        put(t, "environment", "Environment", "dev");
        put(t, "db_jdbc_url", "DbJdbcUrl", jdbcUrl);
        put(t, "db_secret_arn", "DbSecretArn", secretArns.get("database"));
        put(t, "amqp_uri", "AmqpUri", amqp);
        put(t, "amqp_vhost", "AmqpVhost", vhost);
        put(t, "broker_secret_arn", "BrokerSecretArn", secretArns.get("broker"));
        put(t, "jwt_secret_arn", "JwtSecretArn", secretArns.get("jwt"));
        put(t, "platform_admin_secret_arn", "PlatformAdminSecretArn", secretArns.get("platform-admin"));
        put(t, "rabbitmq_management_uri", "RabbitmqManagementUri", rabbit.managementUri());
        put(t, "smtp_host", "SmtpHost", "127.0.0.1");
        put(t, "smtp_port", "SmtpPort", String.valueOf(smtp.getSmtp().getPort()));
        put(t, "smtp_secret_arn", "SmtpSecretArn", secretArns.get("smtp"));
        put(t, "invitation_secret_arn", "InvitationSecretArn", secretArns.get("invitations"));
        put(t, "mail_from", "MailFrom", "no-reply@runtime-check.realty.test");
        put(t, "link_base_url", "LinkBaseUrl", "https://app.runtime-check.realty.test");
        // The audit archive bucket (a Terraform variable, a resource of template.yaml); a fresh database has no
        // month past retention, so housekeeping never calls S3 here.
        put(t, "audit_archive_bucket", "AuditArchiveBucket", "realty-runtime-check-audit-archive");
        return t;
    }

    private static void put(Map<String, String> t, String terraformVariable, String samParameter, String value) {
        t.put("var." + terraformVariable, value);
        t.put("!Ref " + samParameter, value);
    }

    private void secret(String which, Map<String, String> json) {
        secretValues.put(which, json);
        secretArns.put(which, platform.putSecret("realty-" + name + "/" + which, json));
    }

    /** The secrets' names (database, broker, jwt, platform-admin, smtp, invitations) and JSON contents. */
    public Map<String, Map<String, String>> secretValues() {
        return secretValues;
    }

    /** The login of the functions' database role (what the database secret holds). */
    public Map<String, String> databaseLogin() {
        return Map.of("username", dbUser, "password", dbPassword);
    }

    /** amqp://user:password@host:port/vhost of the suite's virtual host. */
    public String amqpUri() {
        return "amqp://" + enc(rabbit.username()) + ":" + enc(rabbit.password()) + "@" + rabbit.host() + ":" + rabbit.port() + "/" + enc(vhost);
    }

    public String secretArn(String which) {
        return secretArns.get(which);
    }

    public String adminPassword() {
        return adminPassword;
    }

    public String vhost() {
        return vhost;
    }

    public String database() {
        return database;
    }

    public GreenMail smtp() {
        return smtp;
    }

    public List<MimeMessage> mails() {
        return List.of(smtp.getReceivedMessages());
    }

    // --- SnapStart restore: break every connection of the process -----------------------------------

    /**
     * Connections inside a SnapStart snapshot are dead when it is restored. Before the restored
     * environment may continue, every connection the process holds is broken: its PostgreSQL backends
     * are terminated, its RabbitMQ connections closed by the broker, and (where the kernel lets this
     * user) any remaining TCP socket except the Runtime API's is destroyed with {@code ss -K}.
     */
    public String breakConnections(ExecutionEnvironment env) throws Exception {
        List<ProcessSockets.Connection> connections = ProcessSockets.established(env.pid());
        Set<Integer> ports = connections.stream().filter(c -> c.remotePort() != env.runtimeApiPort())
                .map(ProcessSockets.Connection::localPort).collect(Collectors.toSet());
        int backends = 0;
        try (var c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             PreparedStatement ps = c.prepareStatement(
                     "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE client_port = ANY(?) AND pid <> pg_backend_pid()")) {
            ps.setArray(1, c.createArrayOf("int4", ports.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    backends += rs.getBoolean(1) ? 1 : 0;
                }
            }
        }
        // The management API lists a connection once the broker's statistics have seen it (every few
        // seconds), so it is asked until every connection the process has to the AMQP port shows up.
        Set<Integer> amqpPorts = connections.stream().filter(c -> c.remotePort() == rabbit.port())
                .map(ProcessSockets.Connection::localPort).collect(Collectors.toSet());
        Set<Integer> closed = new java.util.HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (closed.size() < amqpPorts.size() && System.nanoTime() < deadline) {
            for (JsonNode conn : management("GET", "/api/connections?columns=name,peer_port,peer_host")) {
                int peerPort = conn.path("peer_port").asInt(-1);
                if (amqpPorts.contains(peerPort) && !closed.contains(peerPort)) {
                    HttpResponse<String> r = managementCall("DELETE", "/api/connections/"
                                    + URLEncoder.encode(conn.path("name").asText(), StandardCharsets.UTF_8).replace("+", "%20"),
                            Map.of("X-Reason", "SnapStart restore (runtime-check): connections in a snapshot are dead"));
                    if (r.statusCode() / 100 == 2 || r.statusCode() == 404) {
                        closed.add(peerPort);
                    }
                }
            }
            if (closed.size() < amqpPorts.size()) {
                Thread.sleep(250);
            }
        }
        int brokerConnections = closed.size();
        String killed = killSockets(ports);
        return "connections at restore: " + connections.size() + " (runtime API excluded: " + ports.size()
                + "); PostgreSQL backends terminated: " + backends + "; RabbitMQ connections closed: " + brokerConnections
                + (brokerConnections < amqpPorts.size() ? " of " + amqpPorts.size() + " (not listed by the management API in time)" : "")
                + "; sockets destroyed: " + killed;
    }

    private static String killSockets(Set<Integer> ports) {
        if (ports.isEmpty()) {
            return "0";
        }
        List<String> cmd = new ArrayList<>(List.of("ss", "-K", "-t", "-n", "state", "established", "("));
        boolean first = true;
        for (int p : ports) {
            if (!first) {
                cmd.add("or");
            }
            cmd.add("sport");
            cmd.add("=");
            cmd.add(":" + p);
            first = false;
        }
        cmd.add(")");
        try {
            Process ss = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ss.waitFor(10, TimeUnit.SECONDS)) {
                ss.destroyForcibly();
                return "ss -K did not finish";
            }
            long lines = out.lines().filter(l -> !l.isBlank() && !l.startsWith("Recv-Q") && !l.startsWith("State")).count();
            return ss.exitValue() == 0 ? String.valueOf(lines) : "ss -K failed (" + out.strip() + ")";
        } catch (IOException e) {
            return "ss not available (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    // --- database -------------------------------------------------------------------------------

    /** A connection to the suite's database as the server's superuser (not the function's role). */
    public java.sql.Connection sql() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, postgres.username(), postgres.password());
    }

    public List<Object> column(String sql, Object... args) throws SQLException {
        List<Object> out = new ArrayList<>();
        try (var c = sql(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1));
                }
            }
        }
        return out;
    }

    public Object value(String sql, Object... args) throws SQLException {
        List<Object> rows = column(sql, args);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public long count(String sql, Object... args) throws SQLException {
        return ((Number) value(sql, args)).longValue();
    }

    public int execute(String sql, Object... args) throws SQLException {
        try (var c = sql(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    public boolean tableExists(String table) throws SQLException {
        return value("SELECT to_regclass(?)::text", "public." + table) != null;
    }

    // --- broker ---------------------------------------------------------------------------------

    public Connection amqp() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(rabbit.host());
        f.setPort(rabbit.port());
        f.setUsername(rabbit.username());
        f.setPassword(rabbit.password());
        f.setVirtualHost(vhost);
        return f.newConnection("runtime-check");
    }

    /** Messages of a queue taken without acknowledging them, as the event source holds a batch. */
    public record Batch(Connection connection, Channel channel, List<GetResponse> deliveries) implements AutoCloseable {
        /** The function succeeded: the event source acknowledges the batch. */
        public void ack() throws IOException {
            if (!deliveries.isEmpty()) {
                channel.basicAck(deliveries.get(deliveries.size() - 1).getEnvelope().getDeliveryTag(), true);
            }
        }

        /** The function failed: the whole batch goes back to the queue. */
        public void requeue() throws IOException {
            if (!deliveries.isEmpty()) {
                channel.basicNack(deliveries.get(deliveries.size() - 1).getEnvelope().getDeliveryTag(), true, true);
            }
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }

    /** Up to {@code max} messages of a queue, unacknowledged (the event source's batch). */
    public Batch take(String queue, int max) throws Exception {
        Connection c = amqp();
        Channel ch = c.createChannel();
        List<GetResponse> got = new ArrayList<>();
        GetResponse r;
        while (got.size() < max && (r = ch.basicGet(queue, false)) != null) {
            got.add(r);
        }
        return new Batch(c, ch, got);
    }

    /** Ready messages of a queue, as the management API reports them. */
    public JsonNode queue(String queue) throws Exception {
        return management("GET", "/api/queues/" + enc(vhost) + "/" + enc(queue));
    }

    /** Names of the queues of the suite's virtual host. */
    public List<String> queueNames() throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode q : management("GET", "/api/queues/" + enc(vhost) + "?columns=name")) {
            names.add(q.path("name").asText());
        }
        return names;
    }

    private JsonNode management(String method, String path) throws Exception {
        HttpResponse<String> r = managementCall(method, path, Map.of());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.parse(r.body());
    }

    private HttpResponse<String> managementCall(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(rabbit.managementUri() + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (rabbit.username() + ":" + rabbit.password()).getBytes(StandardCharsets.UTF_8)))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // --- lifecycle ------------------------------------------------------------------------------

    static String withDatabase(String jdbcUrl, String database) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        String rest = query < 0 ? "" : jdbcUrl.substring(query);
        int slash = base.lastIndexOf('/');
        return base.substring(0, slash + 1) + database + rest;
    }

    private static String random(int n) {
        String chars = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(r.nextInt(chars.length())));
        }
        return b.toString();
    }

    @Override
    public void close() {
        smtp.stop();
        try {
            rabbit.deleteVirtualHost(vhost);
        } catch (RuntimeException ignored) {
            // best effort
        }
        try (var c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             var s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            s.execute("DROP DATABASE IF EXISTS " + database);
            s.execute("DROP ROLE IF EXISTS " + dbUser);
        } catch (SQLException ignored) {
            // best effort
        }
        secretArns.values().forEach(platform::deleteSecret);
    }

    @Override
    public String toString() {
        return name + ": " + postgres + ", " + rabbit + ", database " + database + ", virtual host " + vhost;
    }
}
