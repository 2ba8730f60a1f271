package realty.core.audit;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.AuditExportFinished;
import realty.core.outbox.Outbox;
import realty.core.tenancy.RowScope;

import javax.sql.DataSource;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs requested audit exports (table audit_exports, V16): claims one with {@code FOR UPDATE SKIP LOCKED}
 * in a short transaction, writes the company's rows of the range with {@link AuditExport} (server-side
 * cursor, flat memory) to a temp file, stores it in the {@link AuditArchive} under
 * {@code exports/<company>/<id>.<ext>}, then marks it READY and emits {@code audit.export.finished}
 * in one transaction (the notification function mails the requester).
 *
 * <p>Safe to run twice at once: a claimed row is RUNNING and no other worker claims it until it is
 * {@code stale-after} old (its worker died); the file's key is the export's, so a second writer
 * replaces it with the same rows; only the claim still current (same {@code attempts}) finishes the
 * row. A failure marks it FAILED with a reason written for the requester (no SQL, path or S3 detail;
 * those go to the log).
 *
 * <p>Native JDBC: the claim is an UPDATE … RETURNING over a locking subquery, which has no Micronaut
 * Data query-method form; the worker is system work over every company's requests, and the rows it
 * reads are scoped to the export's company ({@link RowScope#company}).
 */
@Singleton
@Requires(beans = AuditArchive.class) // where exports can be stored: the housekeeping function in AWS, every local function
public class AuditExportWorker {
    private static final Logger LOG = LoggerFactory.getLogger(AuditExportWorker.class);
    private static final String RETURNING = " RETURNING e.id, e.company_id, e.requested_by, e.range_from, e.range_to, e.format, e.attempts";
    /** The oldest PENDING request, through audit_exports_pending. Public for the plan test (local: AuditExportPlansTest). */
    public static final String CLAIM_PENDING = """
            UPDATE audit_exports e SET status = 'RUNNING', claimed_at = clock_timestamp(), attempts = e.attempts + 1
            WHERE e.id = (SELECT p.id FROM audit_exports p WHERE p.status = 'PENDING'
                          ORDER BY p.created_at, p.id LIMIT 1 FOR UPDATE SKIP LOCKED)""" + RETURNING;
    /** The RUNNING row claimed longest ago, if before the cutoff, through audit_exports_running. Public for the plan test. */
    public static final String CLAIM_STALE = """
            UPDATE audit_exports e SET status = 'RUNNING', claimed_at = clock_timestamp(), attempts = e.attempts + 1
            WHERE e.id = (SELECT r.id FROM audit_exports r WHERE r.status = 'RUNNING' AND r.claimed_at < ?
                          ORDER BY r.claimed_at, r.id LIMIT 1 FOR UPDATE SKIP LOCKED)""" + RETURNING;
    private static final String READY = """
            UPDATE audit_exports SET status = 'READY', object_key = ?, bytes = ?, row_count = ?, error = NULL,
                   finished_at = now(), expires_at = ?
            WHERE id = ? AND status = 'RUNNING' AND attempts = ?""";
    private static final String FAILED = """
            UPDATE audit_exports SET status = 'FAILED', error = ?, finished_at = now()
            WHERE id = ? AND status = 'RUNNING' AND attempts = ?""";
    /** Back to the queue, this claim not counted: it started too close to the end of its run. */
    private static final String RELEASE = """
            UPDATE audit_exports SET status = 'PENDING', claimed_at = NULL, attempts = attempts - 1
            WHERE id = ? AND status = 'RUNNING' AND attempts = ?""";

    private final DataSource dataSource;
    private final AuditExport export;
    private final AuditArchive archive;
    private final Outbox outbox;
    private final AuditExportSettings settings;

    public AuditExportWorker(DataSource dataSource, AuditExport export, AuditArchive archive, Outbox outbox, AuditExportSettings settings) {
        // Plain connections: each step commits on its own, and the export's read runs for a while outside any other transaction.
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.export = export;
        this.archive = archive;
        this.outbox = outbox;
        this.settings = settings;
    }

    /** A claimed request. {@code attempts} is the claim's token: only the current claim may finish the row. */
    public record Job(UUID id, UUID companyId, UUID requestedBy, Instant from, Instant to, AuditExport.Format format, int attempts) {
    }

    /** How one export ended. */
    public enum Outcome { READY, FAILED, RELEASED, SUPERSEDED }

    /**
     * Runs requested exports one after the other until none is left or {@code deadline} has passed.
     *
     * @return how many exports ended READY or FAILED
     */
    public int runUntil(Instant deadline) throws SQLException {
        int done = 0;
        while (Instant.now().isBefore(deadline)) {
            Optional<Job> job = claim();
            if (job.isEmpty()) {
                break;
            }
            Outcome outcome = run(job.get(), deadline);
            if (outcome == Outcome.READY || outcome == Outcome.FAILED) {
                done++;
            } else if (outcome == Outcome.RELEASED) {
                break; // out of time for this run
            }
        }
        return done;
    }

    /** Claims the oldest PENDING request, else a RUNNING one whose worker died; empty when there is none. */
    public Optional<Job> claim() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true); // each claim is one statement: its own short transaction
            Optional<Job> job = claim(c, CLAIM_PENDING, null);
            if (job.isEmpty()) {
                job = claim(c, CLAIM_STALE, Instant.now().minus(settings.getStaleAfter()));
            }
            return job;
        }
    }

    private static Optional<Job> claim(Connection c, String sql, Instant staleBefore) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (staleBefore != null) {
                ps.setTimestamp(1, Timestamp.from(staleBefore));
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Job(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(),
                        AuditExport.Format.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)), rs.getInt(7)));
            }
        }
    }

    /** Writes, stores and finishes one claimed export; never throws for the export's own failure. */
    public Outcome run(Job job, Instant runDeadline) throws SQLException {
        if (job.attempts() > settings.getMaxAttempts()) {
            return fail(job, "the export was started " + settings.getMaxAttempts() + " times without finishing; "
                    + "ask for a shorter range");
        }
        Instant limit = Instant.now().plus(settings.getTimeLimit());
        boolean fullTime = !runDeadline.isBefore(limit);
        Instant deadline = fullTime ? limit : runDeadline;
        String key = settings.keyOf(job.companyId(), job.id(), job.format());
        Path file = null;
        try {
            file = Files.createTempFile("audit-export-", "." + job.format().extension);
            long rows = write(job, file, deadline);
            long bytes = Files.size(file);
            archive.store(key, file, job.format().contentType + "; charset=utf-8");
            return ready(job, key, bytes, rows);
        } catch (Limited.TooSlow e) {
            if (!fullTime) {
                release(job);
                return Outcome.RELEASED;
            }
            return fail(job, "the range took longer than " + settings.getTimeLimit().toSeconds() + " s to export; ask for shorter ranges");
        } catch (Limited.TooLarge e) {
            return fail(job, "the range holds more than " + settings.getMaxBytes() + " bytes of audit rows; ask for shorter ranges");
        } catch (SQLException e) {
            LOG.warn("audit export {} failed reading the audit rows: {}", job.id(), e.toString());
            return fail(job, "the audit rows could not be read; ask again later");
        } catch (IOException | RuntimeException e) {
            LOG.warn("audit export {} failed writing or storing the file: {}", job.id(), e.toString());
            return fail(job, "the file could not be written or stored; ask again later");
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("audit export {}: temp file not deleted: {}", job.id(), e.toString());
                }
            }
        }
    }

    private long write(Job job, Path file, Instant deadline) throws SQLException, IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // the export's server-side cursor needs a transaction
            c.setReadOnly(true);
            try (OutputStream out = new Limited(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024), deadline,
                    settings.getMaxBytes())) {
                return export.write(c, RowScope.company(job.companyId()), job.from(), job.to(), job.format(), out);
            } finally {
                c.rollback(); // nothing was written; ends the read transaction
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        }
    }

    private Outcome ready(Job job, String key, long bytes, long rows) throws SQLException {
        Instant expires = Instant.now().plus(settings.getKeptFor());
        boolean current = finish(job, READY, ps -> {
            ps.setString(1, key);
            ps.setLong(2, bytes);
            ps.setLong(3, rows);
            ps.setTimestamp(4, Timestamp.from(expires));
            ps.setObject(5, job.id());
            ps.setInt(6, job.attempts());
        }, new AuditExportFinished(job.id(), job.requestedBy(), AuditExportFinished.READY, rows, bytes, null, expires));
        if (current) {
            LOG.info("audit export {}: {} rows, {} bytes stored at {}", job.id(), rows, bytes, archive.locationOf(key));
        }
        return current ? Outcome.READY : Outcome.SUPERSEDED;
    }

    private Outcome fail(Job job, String reason) throws SQLException {
        boolean current = finish(job, FAILED, ps -> {
            ps.setString(1, reason);
            ps.setObject(2, job.id());
            ps.setInt(3, job.attempts());
        }, new AuditExportFinished(job.id(), job.requestedBy(), AuditExportFinished.FAILED, null, null, reason, null));
        if (current) {
            LOG.info("audit export {} failed: {}", job.id(), reason);
        }
        return current ? Outcome.FAILED : Outcome.SUPERSEDED;
    }

    private void release(Job job) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RELEASE)) {
            c.setAutoCommit(true);
            ps.setObject(1, job.id());
            ps.setInt(2, job.attempts());
            ps.executeUpdate();
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** The row's end and its event in one transaction; false when a later claim owns the row (nothing written). */
    private boolean finish(Job job, String sql, Binder binder, AuditExportFinished payload) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int updated;
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    binder.bind(ps);
                    updated = ps.executeUpdate();
                }
                if (updated == 1) {
                    outbox.append(c, List.of(EventEnvelope.create(EventType.AUDIT_EXPORT_FINISHED, job.companyId(),
                            Actor.system("housekeeping"), "audit-export-" + job.id(), null,
                            new AggregateRef("audit_export", job.id().toString()), payload)));
                }
                c.commit();
                return updated == 1;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** The export's stream, refused past the deadline or the size cap so a run ends in time and /tmp does not fill. */
    static final class Limited extends FilterOutputStream {
        static final class TooSlow extends IOException {
        }

        static final class TooLarge extends IOException {
        }

        private final long deadlineNanos;
        private final long maxBytes;
        private long written;

        Limited(OutputStream out, Instant deadline, long maxBytes) {
            super(out);
            this.deadlineNanos = System.nanoTime() + Duration.between(Instant.now(), deadline).toNanos();
            this.maxBytes = maxBytes;
        }

        private void check(int len) throws IOException {
            written += len;
            if (written > maxBytes) {
                throw new TooLarge();
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new TooSlow();
            }
        }

        @Override
        public void write(int b) throws IOException {
            check(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check(len);
            out.write(b, off, len);
        }
    }
}
