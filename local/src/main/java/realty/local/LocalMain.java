package realty.local;

import io.micronaut.json.JsonMapper;
import realty.localinfra.LocalPostgres;
import realty.localinfra.LocalRabbitMq;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code scripts/local.sh}: brings up PostgreSQL (embedded, or {@code REALTY_DB_URL}) and RabbitMQ
 * (a project-owned local broker, or {@code REALTY_AMQP_URI}), starts the {@link LocalSystem} on
 * {@code http://localhost:8080}, seeds a platform admin and a demo agency with one user per
 * profile, prints their credentials and a walkthrough, and runs until Ctrl-C.
 */
public final class LocalMain {
    static final String DEMO_CNPJ = "11222333000181";
    static final List<String> PROFILES = List.of("owner", "director", "manager", "agent", "prospector", "receptionist",
            "financial", "legal", "portal");

    private LocalMain() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getenv().getOrDefault("REALTY_LOCAL_DIR", ".local")).toAbsolutePath();
        Files.createDirectories(home);
        int port = Integer.parseInt(System.getenv().getOrDefault("REALTY_HTTP_PORT", "8080"));

        LocalPostgres postgres = LocalPostgres.start(new LocalPostgres.Options(home.resolve("pgdata"),
                Integer.parseInt(System.getenv().getOrDefault("REALTY_DB_PORT", "54329"))));
        LocalRabbitMq rabbit = LocalRabbitMq.start();
        String adminPassword = secret(home, "platform-admin-password", "PLATFORM_ADMIN_PASSWORD");
        String demoPassword = secret(home, "demo-password", "REALTY_DEMO_PASSWORD");

        LocalSystem system = LocalSystem.start(new LocalSystem.Settings(postgres.jdbcUrl(), postgres.username(), postgres.password(),
                rabbit.host(), rabbit.port(), "/", rabbit.username(), rabbit.password(), "127.0.0.1", port,
                secret(home, "jwt-secret", "JWT_SECRET"), "admin", adminPassword, 100, Duration.ofMillis(20), true,
                Map.of(), Map.of(LocalMailServer.SMTP_PORT, System.getenv().getOrDefault("REALTY_SMTP_PORT", "2525"),
                        LocalMailServer.MAILBOX_PORT, System.getenv().getOrDefault("REALTY_MAILBOX_PORT", "8025"),
                        "realty.management.uri", rabbit.managementUri(), "realty.local.audit-export-interval", "10s")));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping: functions, gateway, database");
            system.close();
            postgres.close();
            rabbit.close();
            stopped.countDown();
        }, "shutdown"));

        String companyId = seed(system, postgres, adminPassword, demoPassword);
        System.out.println(walkthrough(system.baseUrl(), postgres, rabbit, system.mailServer(), adminPassword, demoPassword, companyId));
        stopped.await();
    }

    /** Seeds through the API itself (so the seed users' events flow like any other); idempotent. */
    static String seed(LocalSystem system, LocalPostgres postgres, String adminPassword, String demoPassword) throws Exception {
        JsonMapper json = system.apiContext().getBean(JsonMapper.class);
        HttpClient http = HttpClient.newHttpClient();
        String companyId = query(postgres, "SELECT id::text FROM companies WHERE cnpj = ?", DEMO_CNPJ);
        String token;
        try {
            token = (String) call(http, json, system.baseUrl(), "POST", "/api/v1/auth/login", null,
                    Map.of("username", "admin", "password", adminPassword)).get("access_token");
        } catch (IllegalStateException e) {
            // The admin row was created from this password once; a password changed since (kept in .local/pgdata) wins.
            System.out.println("seeding skipped: the platform admin no longer logs in with the password in "
                    + "platform-admin-password (changed through the API since?): " + e.getMessage());
            return companyId;
        }
        if (companyId == null) {
            companyId = (String) call(http, json, system.baseUrl(), "POST", "/api/v1/companies", token, Map.of(
                    "name", "Demo Imóveis", "legalName", "Demo Imóveis Ltda", "cnpj", DEMO_CNPJ, "creci", "J-00000")).get("id");
        }
        for (String profile : PROFILES) {
            String email = profile + "@demo.realty.dev";
            if (query(postgres, "SELECT id::text FROM users WHERE lower(email) = ?", email) == null) {
                call(http, json, system.baseUrl(), "POST", "/api/v1/users", token, Map.of("email", email,
                        "name", "Demo " + profile, "password", demoPassword, "profiles", List.of(profile),
                        "companyIds", List.of(companyId), "locale", "en"));
            }
        }
        return companyId;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(HttpClient http, JsonMapper json, String base, String method, String path,
                                            String token, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException("seeding: " + method + " " + path + " answered " + r.statusCode() + ": "
                    + new String(r.body()));
        }
        return json.readValue(r.body(), Map.class);
    }

    private static String query(LocalPostgres pg, String sql, String arg) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** A secret from the environment, or one generated once and kept (mode 600) under .local/. */
    static String secret(Path home, String file, String env) throws IOException {
        String given = System.getenv(env);
        if (given != null && !given.isBlank()) {
            return given;
        }
        Path path = home.resolve(file);
        if (Files.exists(path)) {
            return Files.readString(path).trim();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.writeString(path, value);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        return value;
    }

    private static String walkthrough(String base, LocalPostgres pg, LocalRabbitMq mq, LocalMailServer mail, String adminPassword,
                                      String demoPassword, String companyId) {
        Map<String, String> vars = new HashMap<>();
        vars.put("BASE", base);
        StringBuilder s = new StringBuilder();
        s.append("\n==================== realty is running ====================\n");
        s.append("API            ").append(base).append("   (health: ").append(base).append("/health)\n");
        s.append("Operator page  ").append(base).append("/admin   (log in as the platform admin: queues, dead letters, events)\n");
        s.append("Metrics        ").append(base).append("/metrics   (Prometheus)\n");
        s.append("PostgreSQL     ").append(pg.description()).append("   ").append(pg.jdbcUrl()).append('\n');
        s.append("RabbitMQ       ").append(mq.description()).append("   management: ").append(mq.managementUri()).append(" (guest/guest)\n");
        s.append("E-mail         embedded SMTP on 127.0.0.1:").append(mail.smtpPort()).append(", captured mail at ").append(mail.mailboxUrl()).append('\n');
        s.append("\nPlatform admin  admin / ").append(adminPassword)
                .append("   (the password it was created with; a password changed through the API replaces it)\n");
        s.append("Demo agency     Demo Imóveis, company id ").append(companyId).append('\n');
        s.append("Demo users      <profile>@demo.realty.dev / ").append(demoPassword).append("   for each profile: ")
                .append(String.join(", ", PROFILES)).append('\n');
        s.append("\nWalkthrough (needs curl and jq):\n");
        s.append("  TOKEN=$(curl -s -X POST ").append(base).append("/api/v1/auth/login -H 'Content-Type: application/json' \\\n")
                .append("          -d '{\"username\":\"owner@demo.realty.dev\",\"password\":\"").append(demoPassword).append("\"}' | jq -r .access_token)\n");
        s.append("  curl -s ").append(base).append("/api/v1/me -H \"Authorization: Bearer $TOKEN\" | jq\n");
        s.append("  EVENT=$(curl -s -X POST ").append(base).append("/api/v1/users -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n")
                .append("          -d '{\"email\":\"new.agent.'$RANDOM'@demo.realty.dev\",\"name\":\"New Agent\",\"password\":\"a-long-password\",\"profiles\":[\"agent\"],\"companyIds\":[\"")
                .append(companyId).append("\"]}' | tee /dev/stderr | jq -r '.events[0].id')\n");
        s.append("  sleep 1; curl -s ").append(base).append("/api/v1/events/$EVENT -H \"Authorization: Bearer $TOKEN\" | jq   # status PROCESSED\n");
        s.append("  curl -s ").append(mail.mailboxUrl()).append(" | jq '.[-1] | {to, subject, language, text}'   # the welcome e-mail (pt-BR)\n");
        s.append("\nOperations: open ").append(base).append("/admin, log in as admin, and watch the queues; or with curl:\n");
        s.append("  ADMIN=$(curl -s -X POST ").append(base).append("/api/v1/auth/login -H 'Content-Type: application/json' \\\n")
                .append("          -d '{\"username\":\"admin\",\"password\":\"").append(adminPassword).append("\"}' | jq -r .access_token)\n");
        s.append("  curl -s ").append(base).append("/api/v1/admin/queues -H \"Authorization: Bearer $ADMIN\" | jq\n");
        s.append("  curl -s ").append(base).append("/api/v1/admin/dead-letters -H \"Authorization: Bearer $ADMIN\" | jq\n");
        s.append("\nCtrl-C stops everything (data stays in .local/; delete it to start afresh).\n");
        s.append("===========================================================\n");
        return s.toString();
    }
}
