package realty.local.audit;

import io.micronaut.context.ApplicationContext;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.api.audit.AuditExportService;
import realty.api.audit.AuditExportView;
import realty.api.web.RequestInfo;
import realty.core.audit.AuditExport;
import realty.core.audit.AuditExportWorker;
import realty.core.config.AwsCredentials;
import realty.core.security.Caller;
import realty.core.security.Profile;
import realty.core.tenancy.RowScope;
import realty.localinfra.LocalPostgres;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The asynchronous audit export against S3 (the s3rver stand-in, which verifies SigV4 signatures, as
 * AuditArchiveS3Test): the worker puts the file under exports/&lt;company&gt;/&lt;id&gt;.&lt;ext&gt; with its content
 * type, and the API's GET hands out a presigned URL from which the file downloads, equal to the
 * export of the same range; a tampered URL is refused by the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditExportS3Test {
    private static final String BUCKET = AuditArchiveS3Test.BUCKET;
    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));

    private final LocalPostgres postgres = LocalPostgres.shared();
    private final String database = "export_s3_" + UUID.randomUUID().toString().replace("-", "");
    private final String prefix = "exports-" + UUID.randomUUID(); // apart from any other run's objects in the shared stand-in
    private final UUID company = UUID.randomUUID();
    private final UUID user = UUID.randomUUID();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String url;
    private ApplicationContext context;

    @BeforeAll
    void start() throws Exception {
        AuditArchiveS3Test.StandIn.start();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        url = postgres.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        Flyway.configure().dataSource(url, postgres.username(), postgres.password()).locations("classpath:db/migration").load().migrate();
        context = ApplicationContext.builder().properties(Map.of("datasources.default.url", url, "datasources.default.username",
                        postgres.username(), "datasources.default.password", postgres.password(),
                        "realty.audit.archive-bucket", BUCKET, "realty.audit.archive-endpoint", AuditArchiveS3Test.ENDPOINT,
                        "realty.audit.archive-region", "us-east-1", "realty.audit.exports.prefix", prefix,
                        // No broker: the API's events stay in the outbox, which is all this test reads of them.
                        "realty.broker.uri", "amqp://127.0.0.1:1", "realty.outbox.inline-audit-fallback", false))
                .singletons(AwsCredentials.of(AwsCredentialsIdentity.create("S3RVER", "S3RVER"))).start();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO companies (id, name) VALUES ('" + company + "', 'S3 export')");
            s.execute("INSERT INTO users (id, email, name, password_hash) VALUES ('" + user + "', 'legal-" + user + "@x.dev', 'Legal', 'x')");
            s.execute("INSERT INTO audit_logs (id, company_id, event_id, event_type, resource_type, resource_id, occurred_at, data) "
                    + "SELECT gen_random_uuid(), '" + company + "', gen_random_uuid(), 'test.s3.export', 'property', 'p' || g, "
                    + "TIMESTAMPTZ '" + BASE + "' + g * interval '1 second', jsonb_build_object('n', g) FROM generate_series(1, 2000) g");
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (context != null) {
            context.close();
        }
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(url, postgres.username(), postgres.password());
    }

    /** The export of the range as the synchronous endpoint writes it. */
    private byte[] expected(Instant from, Instant to, AuditExport.Format format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            new AuditExport().write(c, RowScope.company(company), from, to, format, out);
            c.rollback();
        }
        return out.toByteArray();
    }

    @Test
    void theWorkerPutsTheFileInTheBucketAndTheApiHandsOutAPresignedUrlThatDownloadsIt() throws Exception {
        Instant from = BASE;
        Instant to = BASE.plus(Duration.ofHours(1));
        Caller legal = new Caller(user, "legal", Set.of(Profile.LEGAL), Set.of(company), false);
        RequestInfo info = new RequestInfo("req-s3-export", "10.1.2.3", "test");
        AuditExportService api = context.getBean(AuditExportService.class);
        AuditExportView requested = api.request(legal, new realty.api.audit.CreateAuditExportRequest(from, to, "csv", null), info);

        assertEquals(1, context.getBean(AuditExportWorker.class).runUntil(Instant.now().plus(Duration.ofSeconds(60))));

        AuditExportView ready = api.get(legal, requested.id(), info);
        assertEquals("READY", ready.status(), String.valueOf(ready));
        assertEquals(2000L, ready.rows());
        URI presigned = URI.create(ready.downloadUrl());
        assertTrue(presigned.getPath().equals("/" + BUCKET + "/" + prefix + "/" + company + "/" + requested.id() + ".csv")
                && presigned.getQuery().contains("X-Amz-Signature="), presigned.toString());
        HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(presigned).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, got.statusCode(), () -> new String(got.body()));
        assertTrue(got.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"), got.headers().toString());
        assertArrayEquals(expected(from, to, AuditExport.Format.CSV), got.body(), "the object is the export of the range");

        String tampered = presigned.toString().replaceFirst("(X-Amz-Signature=[0-9a-f]{63})([0-9a-f])",
                "$1" + (presigned.toString().matches(".*X-Amz-Signature=[0-9a-f]{63}0.*") ? "1" : "0"));
        assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(tampered)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());

        // The file endpoint sends the client to a fresh presigned URL; both hand-outs are audited events.
        AuditExportService.Download d = api.download(legal, requested.id(), info);
        assertTrue(d.redirect() != null && d.file() == null);
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT type, count(*) FROM outbox_events WHERE aggregate_id = ? GROUP BY type ORDER BY type")) {
            ps.setString(1, requested.id().toString());
            StringBuilder types = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.append(rs.getString(1)).append('=').append(rs.getLong(2)).append(' ');
                }
            }
            assertEquals("audit.export.downloaded=2 audit.export.finished=1 audit.export.requested=1 ", types.toString());
        }
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT bytes, expires_at FROM audit_exports WHERE id = ?")) {
            ps.setObject(1, requested.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(got.body().length, rs.getLong(1));
                assertTrue(rs.getTimestamp(2).toInstant().isAfter(Instant.now().plus(Duration.ofDays(6))));
            }
        }
    }
}
