package realty.api.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
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
    private final RefusalWindowRepository windows;
    private final int limit;
    private final Duration window;

    public RefusalAudit(EventfulTransaction writes, RefusalWindowRepository windows,
                        @Value("${realty.security.refusal-audit.limit:10}") int limit,
                        @Value("${realty.security.refusal-audit.window:60s}") Duration window) {
        this.writes = writes;
        this.windows = windows;
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
                int refusals = windows.count(source, windowStart);
                List<EventEnvelope> events = new ArrayList<>(summaries(source, windowStart));
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
            List<EventEnvelope> events = summaries(null, windowOf(Instant.now()));
            return new EventfulTransaction.Result<>(events.size(), events);
        }).value();
    }

    Instant windowOf(Instant t) {
        long size = window.toMillis();
        return Instant.ofEpochMilli(t.toEpochMilli() / size * size);
    }

    /**
     * Closed windows (before {@code current}) over the limit and not yet summarised, of one source
     * or of all: one summary event each, marked summarised in the same transaction.
     */
    private List<EventEnvelope> summaries(@Nullable String source, Instant current) {
        List<EventEnvelope> events = new ArrayList<>();
        for (RefusalWindowRepository.Window w : windows.lockOwing(source, current, limit)) {
            events.add(summary(w.source(), w.windowStart(), w.refusals() - limit));
        }
        windows.markSummarized(source, current, limit);
        windows.dropBefore(current.minus(Duration.ofDays(1)), limit);
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
        SecurityAccessDenied payload = SecurityAccessDenied.request(request.getMethodName(), RequestInfo.loggablePath(request), status, reason);
        return EventEnvelope.create(EventType.SECURITY_ACCESS_DENIED, company,
                new Actor(subject, caller == null ? null : caller.profileCodes(), null, info.sourceIp(), info.userAgent()),
                info.requestId(), null, new AggregateRef("request", info.requestId()), payload);
    }
}
