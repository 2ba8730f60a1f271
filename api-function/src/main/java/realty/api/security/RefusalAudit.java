package realty.api.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.api.web.RequestInfo;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.SecurityAccessDenied;
import realty.api.outbox.EventfulTransaction;
import realty.core.security.Caller;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Records every refused request as {@code security.access_denied} (targets.md R5), without letting a
 * flood of junk flood the audit log: per source address and window ({@code realty.security.refusal-audit.*}),
 * the first {@code limit} refusals are audited one by one with their request id; the rest are
 * counted in {@code refusal_windows} and audited as one summary event per source and window, written
 * by the next refusal from that source or by {@link #sweep()} (run with the outbox relay) once the
 * window has closed. The state lives in the database, so the limit holds across Lambda instances.
 */
@Singleton
public class RefusalAudit {
    /** Request attribute: this request's refusal is recorded (the response filter must not record it again). */
    public static final String RECORDED = "realty.refusal-recorded";
    private static final Logger LOG = LoggerFactory.getLogger(RefusalAudit.class);

    private final EventfulTransaction writes;
    private final int limit;
    private final Duration window;

    public RefusalAudit(EventfulTransaction writes,
                        @Value("${realty.security.refusal-audit.limit:10}") int limit,
                        @Value("${realty.security.refusal-audit.window:60s}") Duration window) {
        this.writes = writes;
        this.limit = limit;
        this.window = window;
    }

    /** Records one refusal of {@code request}; never throws (the refusal stands either way). */
    public void record(HttpRequest<?> request, int status, String reason) {
        if (request.getAttribute(RECORDED).isPresent()) {
            return;
        }
        request.setAttribute(RECORDED, true);
        try {
            RequestInfo info = RequestInfo.of(request);
            String source = info.sourceIp() == null || info.sourceIp().isBlank() ? "unknown" : info.sourceIp();
            Instant windowStart = windowOf(Instant.now());
            writes.execute(c -> {
                int refusals = count(c, source, windowStart);
                List<EventEnvelope> events = new ArrayList<>(summaries(c, source, windowStart));
                if (refusals <= limit) {
                    events.add(individual(request, info, status, reason));
                }
                return new EventfulTransaction.Result<Void>(null, events);
            });
        } catch (RuntimeException e) {
            LOG.error("could not record security.access_denied for request {}", RequestInfo.of(request).requestId(), e);
        }
    }

    /** Writes the summaries of closed windows that went over the limit; returns how many. */
    public int sweep() {
        return writes.execute(c -> {
            List<EventEnvelope> events = summaries(c, null, windowOf(Instant.now()));
            return new EventfulTransaction.Result<>(events.size(), events);
        }).value();
    }

    Instant windowOf(Instant t) {
        long size = window.toMillis();
        return Instant.ofEpochMilli(t.toEpochMilli() / size * size);
    }

    private static int count(Connection c, String source, Instant windowStart) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO refusal_windows (source, window_start, refusals) VALUES (?, ?, 1) "
                + "ON CONFLICT (source, window_start) DO UPDATE SET refusals = refusal_windows.refusals + 1 RETURNING refusals")) {
            ps.setString(1, source);
            ps.setTimestamp(2, Timestamp.from(windowStart));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Closed windows (before {@code current}) over the limit and not yet summarised, of one source
     * or of all: one summary event each, marked summarised in the same transaction. SKIP LOCKED: two
     * instances sweeping at once never summarise a window twice.
     */
    private List<EventEnvelope> summaries(Connection c, String source, Instant current) throws SQLException {
        List<EventEnvelope> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source, window_start, refusals FROM refusal_windows "
                + "WHERE summarized_at IS NULL AND window_start < ? AND refusals > ?"
                + (source == null ? "" : " AND source = ?") + " ORDER BY window_start LIMIT 500 FOR UPDATE SKIP LOCKED")) {
            ps.setTimestamp(1, Timestamp.from(current));
            ps.setInt(2, limit);
            if (source != null) {
                ps.setString(3, source);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(summary(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getInt(3) - limit));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE refusal_windows SET summarized_at = now() "
                + "WHERE summarized_at IS NULL AND window_start < ? AND refusals > ?" + (source == null ? "" : " AND source = ?"))) {
            ps.setTimestamp(1, Timestamp.from(current));
            ps.setInt(2, limit);
            if (source != null) {
                ps.setString(3, source);
            }
            ps.executeUpdate();
        }
        // Counted windows are kept a day for investigation, then dropped.
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM refusal_windows WHERE window_start < ? "
                + "AND (summarized_at IS NOT NULL OR refusals <= ?)")) {
            ps.setTimestamp(1, Timestamp.from(current.minus(Duration.ofDays(1))));
            ps.setInt(2, limit);
            ps.executeUpdate();
        }
        return events;
    }

    private EventEnvelope summary(String source, Instant windowStart, int refusals) {
        SecurityAccessDenied payload = SecurityAccessDenied.summary(refusals, windowStart, window.toSeconds(),
                "refusals beyond the first " + limit + " from this source in the window");
        String id = source + "@" + windowStart;
        return EventEnvelope.create(EventType.SECURITY_ACCESS_DENIED, null, new Actor(null, null, null, source, null),
                null, null, new AggregateRef("source", id), payload);
    }

    private static EventEnvelope individual(HttpRequest<?> request, RequestInfo info, int status, String reason) {
        Caller caller = request.getAttribute("realty.caller", Caller.class).orElse(null);
        String subject = caller != null ? caller.actorId()
                : request.getUserPrincipal(Authentication.class).map(Authentication::getName).orElse(null);
        UUID company = caller == null || caller.companyIds().isEmpty() ? null
                : caller.companyIds().stream().sorted().findFirst().orElse(null);
        SecurityAccessDenied payload = SecurityAccessDenied.request(request.getMethodName(), request.getPath(), status, reason);
        return EventEnvelope.create(EventType.SECURITY_ACCESS_DENIED, company,
                new Actor(subject, caller == null ? null : caller.profileCodes(), null, info.sourceIp(), info.userAgent()),
                info.requestId(), null, new AggregateRef("request", info.requestId()), payload);
    }
}
