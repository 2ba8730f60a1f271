package realty.local.audit;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.audit.AuditRetention;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Audit retention (issue 15): a month wholly past retention is archived as gzip'd NDJSON and its
 * partition dropped, while UPDATE and DELETE of audit rows stay refused, during the pass and after;
 * two passes at once do the work once. On a database of its own, so the dropped months hold only
 * this test's rows; the pass is the bean the housekeeping function gets from its context.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditRetentionTest {
    private final UUID company = UUID.randomUUID();
    private AuditTestDatabase db;
    private Path archive;
    private ApplicationContext context;
    private AuditRetention retention;

    @BeforeAll
    void start() throws Exception {
        db = AuditTestDatabase.create("retention");
        archive = Files.createTempDirectory("audit-archive");
        context = db.start(Map.of("realty.audit.archive-folder", archive.toString(), "realty.audit.retention-days", 180));
        retention = context.getBean(AuditRetention.class);
    }

    @AfterAll
    void stop() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    private static List<String> lines(Path gz) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.UTF_8))) {
            return r.lines().toList();
        }
    }

    private static void assertRefused(Connection c, String sql) {
        SQLException e = assertThrows(SQLException.class, () -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate(sql);
            }
        }, sql);
        assertEquals("42501", e.getSQLState(), sql + ": " + e.getMessage());
    }

    @Test
    void aMonthPastRetentionIsArchivedAndDroppedWhileUpdatesStayRefused() throws Exception {
        String past = db.fillMonth(company, 8, 500, "test.past");
        db.fillMonth(company, 0, 20, "test.current");
        AtomicBoolean passDone = new AtomicBoolean();
        AtomicInteger refusedUpdates = new AtomicInteger();
        CompletableFuture<Void> updates = CompletableFuture.runAsync(() -> {
            try (Connection c = db.connect()) {
                do {
                    assertRefused(c, "UPDATE audit_logs SET event_type = 'tampered'");
                    refusedUpdates.incrementAndGet();
                } while (!passDone.get());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        AuditRetention.Pass pass;
        try {
            pass = retention.runOnce();
        } finally {
            passDone.set(true);
        }
        updates.get();
        assertTrue(refusedUpdates.get() > 0);

        assertTrue(pass.ran());
        AuditRetention.Archived archived = pass.archived().stream().filter(a -> a.partition().equals(past)).findFirst().orElseThrow();
        assertEquals(500, archived.rows());
        assertFalse(db.exists(past), "the past month's partition is dropped");
        List<String> lines = lines(Path.of(archived.location()));
        assertEquals(500, lines.size());
        assertTrue(archived.location().startsWith(archive.toString()) && archived.location().endsWith(past + ".ndjson.gz"),
                archived.location());
        @SuppressWarnings("unchecked")
        Map<String, Object> first = context.getBean(io.micronaut.json.JsonMapper.class).readValue(lines.get(0), Map.class);
        assertEquals("test.past", first.get("eventType"));
        assertEquals(company.toString(), first.get("companyId"));
        assertEquals("actor-1", first.get("actorUserId"));
        assertEquals(Map.of("n", 1), first.get("data"));
        assertTrue(lines.get(499).contains("\"actorUserId\":\"actor-500\""), "time order: the last line is the latest row");

        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE event_type = 'test.past'), "
                    + "count(*) FILTER (WHERE event_type = 'test.current') FROM audit_logs");
            rs.next();
            assertEquals(0, rs.getLong(1));
            assertEquals(20, rs.getLong(2), "rows inside retention stay");
            assertRefused(c, "UPDATE audit_logs SET event_type = 'tampered'");
            assertRefused(c, "DELETE FROM audit_logs");
            assertRefused(c, "TRUNCATE audit_logs");
            LocalDate now = LocalDate.now(ZoneOffset.UTC);
            String current = "audit_logs_p" + now.getYear() + String.format("%02d", now.getMonthValue());
            assertRefused(c, "DELETE FROM " + current);
            assertRefused(c, "TRUNCATE " + current);
        }
        LocalDate ahead = LocalDate.now(ZoneOffset.UTC).plusMonths(3);
        assertTrue(db.exists("audit_logs_p" + ahead.getYear() + String.format("%02d", ahead.getMonthValue())), "partitions are made ahead");

        AuditRetention.Pass again = retention.runOnce();
        assertTrue(again.ran());
        assertEquals(List.of(), again.archived(), "a second pass finds nothing left to do");
    }

    @Test
    void twoPassesAtOnceMoveEachMonthOutOnce() throws Exception {
        String past = db.fillMonth(company, 10, 300, "test.twice");
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<AuditRetention.Pass> a = CompletableFuture.supplyAsync(() -> await(go));
        CompletableFuture<AuditRetention.Pass> b = CompletableFuture.supplyAsync(() -> await(go));
        go.countDown();
        List<AuditRetention.Archived> moved = new java.util.ArrayList<>(a.get().archived());
        moved.addAll(b.get().archived());
        assertEquals(1, moved.stream().filter(m -> m.partition().equals(past)).count(), "moved out exactly once: " + moved);
        assertFalse(db.exists(past));
        assertEquals(300, lines(Path.of(moved.stream().filter(m -> m.partition().equals(past)).findFirst().orElseThrow().location())).size());
        try (var files = Files.walk(archive)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".partial")).toList(), "no half-written archive left");
        }
    }

    @Test
    void aMonthLeftDetachedByAnInterruptedPassIsArchivedAndDroppedByTheNext() throws Exception {
        String past = db.fillMonth(company, 12, 40, "test.interrupted");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE audit_logs DETACH PARTITION " + past); // a pass that died right after its detach
        }
        AuditRetention.Pass pass = retention.runOnce();
        AuditRetention.Archived archived = pass.archived().stream().filter(m -> m.partition().equals(past)).findFirst().orElseThrow();
        assertEquals(40, archived.rows());
        assertFalse(db.exists(past));
    }

    private AuditRetention.Pass await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return retention.runOnce();
    }
}
