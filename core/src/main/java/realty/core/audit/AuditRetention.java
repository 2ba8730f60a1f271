package realty.core.audit;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * One pass of audit-log housekeeping (issue 15): creates the partitions of the coming months, then
 * moves every month whose rows are all past retention out of the database: the partition is detached,
 * its rows are written to the {@link AuditArchive} as one gzip'd NDJSON file, and the detached table
 * is dropped. Rows are never deleted one by one: the append-only triggers keep refusing UPDATE,
 * DELETE and TRUNCATE for everyone, this pass included.
 *
 * <p>Idempotent and safe to run twice at once: a session advisory lock lets one pass work while the
 * other returns at once, and a pass resumes what a crashed one left (a detach still pending is
 * finalised, a detached month not yet dropped is archived again and dropped).
 */
@Singleton
@Requires(beans = AuditArchive.class) // only where an archive is configured: no month is dropped without one
public class AuditRetention {
    /** The advisory lock of the pass (an arbitrary constant, unique among the project's locks). */
    static final long LOCK = 0x6175646974L; // "audit"
    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);
    private static final Pattern PARTITION = Pattern.compile("audit_logs_p(\\d{4})(\\d{2})");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");

    private final DataSource dataSource;
    private final AuditArchive archive;
    private final AuditRetentionSettings settings;
    private final Clock clock;

    public AuditRetention(DataSource dataSource, AuditArchive archive, AuditRetentionSettings settings) {
        this(dataSource, archive, settings, Clock.systemUTC());
    }

    AuditRetention(DataSource dataSource, AuditArchive archive, AuditRetentionSettings settings, Clock clock) {
        // Plain connections: the pass commits DDL step by step and holds a session lock across them.
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.archive = archive;
        this.settings = settings;
        this.clock = clock;
    }

    /** What a pass did: {@code ran} is false when another pass held the lock. */
    public record Pass(boolean ran, List<String> created, List<Archived> archived) {
    }

    /** A month moved out of the database: its partition, how many rows, and where they are now. */
    public record Archived(String partition, long rows, String location) {
    }

    /** Runs one pass; returns at once (ran = false) if another pass is running. */
    public Pass runOnce() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (!tryLock(c)) {
                LOG.info("audit retention: another pass is running, nothing done");
                return new Pass(false, List.of(), List.of());
            }
            try (Statement s = c.createStatement()) {
                // DDL waits for the locks of running queries; give up (and retry next pass) rather than queue the API behind it.
                s.execute("SET lock_timeout = '10s'");
                List<String> created = createAhead(c);
                List<Archived> archived = new ArrayList<>();
                LocalDate firstKept = firstMonthKept();
                for (Partition p : partitions(c)) {
                    if (p.month().isBefore(firstKept)) {
                        archived.add(moveOut(c, p));
                    }
                }
                return new Pass(true, created, archived);
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("RESET lock_timeout"); // the connection goes back to the pool
                }
                unlock(c);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("audit retention pass failed: " + e.getMessage(), e);
        }
    }

    /** The first month that still has a row inside retention: every earlier month is wholly past it. */
    LocalDate firstMonthKept() {
        Instant cutoff = clock.instant().minus(java.time.Duration.ofDays(settings.getRetentionDays()));
        return cutoff.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
    }

    private List<String> createAhead(Connection c) throws SQLException {
        List<String> created = new ArrayList<>();
        LocalDate month = clock.instant().atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL");
             PreparedStatement ensure = c.prepareStatement("SELECT audit_logs_ensure_partition(?)")) {
            for (int i = 0; i <= settings.getPartitionsAhead(); i++) {
                LocalDate m = month.plusMonths(i);
                exists.setString(1, name(m));
                try (ResultSet rs = exists.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        continue;
                    }
                }
                ensure.setObject(1, m);
                ensure.execute();
                created.add(name(m));
            }
        }
        return created;
    }

    private record Partition(String name, LocalDate month, boolean attached, boolean detachPending) {
    }

    /** Every month table, attached or left detached by an interrupted pass, oldest first. */
    private List<Partition> partitions(Connection c) throws SQLException {
        List<Partition> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT t.relname, i.inhrelid IS NOT NULL, coalesce(i.inhdetachpending, false)
                FROM pg_class t
                LEFT JOIN pg_inherits i ON i.inhrelid = t.oid AND i.inhparent = to_regclass('audit_logs')
                WHERE t.relkind = 'r' AND t.relnamespace = to_regnamespace(current_schema())
                  AND t.relname ~ '^audit_logs_p[0-9]{6}$'
                ORDER BY t.relname""")) {
            while (rs.next()) {
                Matcher m = PARTITION.matcher(rs.getString(1));
                if (m.matches()) {
                    out.add(new Partition(rs.getString(1), LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 1),
                            rs.getBoolean(2), rs.getBoolean(3)));
                }
            }
        }
        return out;
    }

    /** Detach (first, so no late row can join the month while it is archived), archive, then drop. */
    private Archived moveOut(Connection c, Partition p) throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            if (p.detachPending()) {
                s.execute("ALTER TABLE audit_logs DETACH PARTITION " + p.name() + " FINALIZE");
            } else if (p.attached()) {
                // CONCURRENTLY: readers and writers of the other months are not blocked while it waits.
                s.execute("ALTER TABLE audit_logs DETACH PARTITION " + p.name() + " CONCURRENTLY");
            }
        }
        String key = settings.getArchivePrefix() + "/" + p.month().getYear() + "/" + String.format("%02d", p.month().getMonthValue())
                + "/" + p.name() + ".ndjson.gz";
        Path file = Files.createTempFile(p.name(), ".ndjson.gz");
        try {
            long rows = writeArchive(c, p.name(), file);
            archive.store(key, file);
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE " + p.name());
            }
            LOG.info("audit retention: {} ({} rows) archived to {} and dropped", p.name(), rows, archive.locationOf(key));
            return new Archived(p.name(), rows, archive.locationOf(key));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The month's rows in time order, read through a server-side cursor so memory stays flat. */
    private long writeArchive(Connection c, String table, Path file) throws SQLException, IOException {
        long rows = 0;
        c.setAutoCommit(false);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 64 * 1024);
             PreparedStatement ps = c.prepareStatement("SELECT " + AuditRows.COLUMNS + " FROM " + table + " l ORDER BY l.occurred_at, l.id")) {
            ps.setFetchSize(1000);
            AuditRows.NdjsonWriter writer = AuditRows.ndjson(out);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    writer.write(rs);
                    rows++;
                }
            }
            writer.flush();
        } finally {
            c.commit();
            c.setAutoCommit(true);
        }
        return rows;
    }

    private static String name(LocalDate month) {
        return "audit_logs_p" + month.format(MONTH);
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, LOCK);
            ps.execute();
        }
    }
}
