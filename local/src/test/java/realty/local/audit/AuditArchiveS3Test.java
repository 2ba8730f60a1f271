package realty.local.audit;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.audit.AuditRetention;
import realty.core.audit.S3Objects;
import realty.core.config.AwsCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit archive in S3, end to end: the retention pass of the housekeeping function's context
 * stores a month with {@link S3Objects}' SigV4 PutObject in an S3-compatible server that verifies
 * signatures (s3rver, {@code scripts/s3-standin.sh}), the object is read back through a presigned URL,
 * and a refused PUT leaves the month in the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditArchiveS3Test {
    static final String ENDPOINT = "http://127.0.0.1:" + StandIn.PORT;
    static final String BUCKET = "realty-archive";
    private static final AwsCredentials STAND_IN_KEYS = AwsCredentials.of(
            AwsCredentialsIdentity.create("S3RVER", "S3RVER"));

    private final String prefix = "audit-logs-" + UUID.randomUUID();
    private final UUID company = UUID.randomUUID();
    private AuditTestDatabase db;
    private ApplicationContext context;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start() throws Exception {
        StandIn.start();
        db = AuditTestDatabase.create("archive_s3");
        context = context(STAND_IN_KEYS);
    }

    private ApplicationContext context(AwsCredentials keys) {
        return db.start(Map.of("realty.audit.archive-bucket", BUCKET, "realty.audit.archive-endpoint", ENDPOINT,
                "realty.audit.archive-region", "us-east-1", "realty.audit.archive-prefix", prefix, "realty.audit.retention-days", 180), keys);
    }

    @AfterAll
    void stop() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    private HttpResponse<byte[]> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<String> gunzipLines(byte[] gz) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(gz)),
                StandardCharsets.UTF_8))) {
            return r.lines().toList();
        }
    }

    @Test
    void aMonthPastRetentionIsPutInTheBucketAndReadBackThroughAPresignedUrl() throws Exception {
        String past = db.fillMonth(company, 8, 300, "test.s3.past");
        AuditRetention.Pass pass = context.getBean(AuditRetention.class).runOnce();
        AuditRetention.Archived archived = pass.archived().stream().filter(a -> a.partition().equals(past)).findFirst().orElseThrow();
        assertEquals(300, archived.rows());
        String key = archived.location().substring(("s3://" + BUCKET + "/").length());
        assertTrue(archived.location().startsWith("s3://" + BUCKET + "/" + prefix + "/") && key.endsWith(past + ".ndjson.gz"),
                archived.location());
        assertFalse(db.exists(past), "dropped once stored");

        URI presigned = context.getBean(S3Objects.class).presignGet(BUCKET, key, Duration.ofMinutes(5));
        HttpResponse<byte[]> got = get(presigned);
        assertEquals(200, got.statusCode(), () -> new String(got.body(), StandardCharsets.UTF_8));
        List<String> lines = gunzipLines(got.body());
        assertEquals(300, lines.size());
        assertTrue(lines.get(0).contains("\"eventType\":\"test.s3.past\"") && lines.get(0).contains("\"actorUserId\":\"actor-1\""), lines.get(0));
        assertTrue(lines.get(299).contains("\"actorUserId\":\"actor-300\""), "time order");

        // The stand-in checks query signatures too: the same URL with one signature digit changed is refused.
        String tampered = presigned.toString().replaceFirst("(X-Amz-Signature=[0-9a-f]{63})([0-9a-f])",
                "$1" + (presigned.toString().matches(".*X-Amz-Signature=[0-9a-f]{63}0.*") ? "1" : "0"));
        assertEquals(403, get(URI.create(tampered)).statusCode());
    }

    @Test
    void aPutRefusedByS3LeavesTheMonthForTheNextPass() throws Exception {
        String past = db.fillMonth(company, 9, 50, "test.s3.refused");
        try (ApplicationContext wrongKey = context(AwsCredentials.of(AwsCredentialsIdentity.create("S3RVER", "not-the-secret")))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> wrongKey.getBean(AuditRetention.class).runOnce());
            assertTrue(e.getMessage().contains("403 SignatureDoesNotMatch"), e.getMessage());
        }
        assertTrue(db.exists(past), "not dropped: the archive was not stored");

        AuditRetention.Pass pass = context.getBean(AuditRetention.class).runOnce();
        assertEquals(50, pass.archived().stream().filter(a -> a.partition().equals(past)).findFirst().orElseThrow().rows());
        assertFalse(db.exists(past));
    }

    @Test
    void s3ObjectsPutsWhatItIsGivenAndTheServerRefusesAWrongSignature() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("s3objects", ".bin");
        try {
            byte[] bytes = new byte[3 * 1024 * 1024 + 17]; // larger than any single buffer of the client
            new java.util.Random(7).nextBytes(bytes);
            java.nio.file.Files.write(file, bytes);
            S3Objects s3 = new S3Objects(URI.create(ENDPOINT), "us-east-1", STAND_IN_KEYS, Clock.systemUTC());
            String key = prefix + "/raw/a b+c$d.bin"; // characters that S3's canonical path encodes
            s3.put(BUCKET, key, file, Map.of("Content-Type", "application/octet-stream"));
            HttpResponse<byte[]> got = get(s3.presignGet(BUCKET, key, Duration.ofMinutes(1)));
            assertEquals(200, got.statusCode());
            assertTrue(java.util.Arrays.equals(bytes, got.body()), "the object is the file, byte for byte");

            S3Objects wrong = new S3Objects(URI.create(ENDPOINT), "us-east-1",
                    AwsCredentials.of(AwsCredentialsIdentity.create("S3RVER", "wrong")), Clock.systemUTC());
            java.io.IOException refused = assertThrows(java.io.IOException.class, () -> wrong.put(BUCKET, key, file, Map.of()));
            assertTrue(refused.getMessage().contains("403 SignatureDoesNotMatch"), refused.getMessage());
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /**
     * The project's S3 stand-in, started once per JVM through its script (installed from npm when missing)
     * on a port of its own, and stopped when the JVM exits: nothing is shared with another checkout or
     * left running after the suite.
     */
    static final class StandIn {
        static final int PORT = freePort();
        private static boolean started;

        static synchronized void start() throws Exception {
            if (started) {
                return;
            }
            // Not this JVM's stdin: surefire talks to the fork over it, and the script's `npm ci` makes it
            // non-blocking while it runs ("[SUREFIRE] std/in stream corrupted", a failed build).
            Process p = script(PORT, "start").redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            if (!p.waitFor(240, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("scripts/s3-standin.sh start failed");
            }
            started = true;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Process stop = script(PORT, "stop").redirectOutput(ProcessBuilder.Redirect.INHERIT)
                            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                    stop.getOutputStream().close();
                    stop.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("could not stop the S3 stand-in on port " + PORT + ": " + e);
                }
            }, "realty-s3-standin-stop"));
        }

        /** @return {@code scripts/s3-standin.sh <args>} for a port, run from the repository root */
        static ProcessBuilder script(int port, String... args) {
            java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath();
            while (dir != null && !java.nio.file.Files.exists(dir.resolve("scripts/s3-standin.sh"))) {
                dir = dir.getParent();
            }
            if (dir == null) {
                throw new IllegalStateException("scripts/s3-standin.sh not found above " + java.nio.file.Path.of("").toAbsolutePath());
            }
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("bash", "scripts/s3-standin.sh"));
            command.addAll(java.util.List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            pb.environment().put("REALTY_S3_PORT", String.valueOf(port));
            pb.environment().put("REALTY_S3_BUCKETS", BUCKET);
            return pb;
        }

        private static int freePort() {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
