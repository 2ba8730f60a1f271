package realty.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.core.broker.BrokerUnavailableException;
import realty.core.outbox.OutboxRepository;
import realty.core.topology.Topology;
import realty.core.topology.WorkQueue;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/admin/queues}: per work queue and its dead-letter queue, the broker's counts
 * (management API) beside what the consumers recorded ({@code consumer_outcomes}), and a status
 * from the thresholds in {@link QueueHealthSettings}.
 *
 * <p>A <em>stalled</em> consumer is attached but acknowledges nothing while its queue grows (the
 * broker sees a consumer holding unacknowledged messages): the broker's figures alone look normal,
 * so the time since the function last recorded an outcome is what tells (targets.md R8).
 */
@Singleton
public class QueueHealth {
    public static final String HEALTHY = "healthy";
    public static final String DEGRADED = "degraded";
    public static final String FAILING = "failing";
    public static final String UNKNOWN = "unknown";

    @Serdeable
    public record Report(String status, Instant checkedAt, @Nullable String brokerError, Outbox outbox, List<QueueView> queues) {
    }

    @Serdeable
    public record Outbox(long pending, @Nullable Double oldestPendingAgeSeconds) {
    }

    @Serdeable
    public record Depth(String name, @Nullable Long ready, @Nullable Long unacknowledged, @Nullable Integer consumers,
                        @Nullable Double oldestMessageAgeSeconds) {
    }

    @Serdeable
    public record QueueView(String queue, String function, String status, @JsonInclude(JsonInclude.Include.ALWAYS) List<String> reasons,
                            @Nullable Long ready, @Nullable Long unacknowledged, @Nullable Integer consumers,
                            @Nullable Double oldestMessageAgeSeconds, long retrying,
                            long processedLast5m, long failedLast5m, @Nullable Double p95ProcessingMs,
                            @Nullable Double secondsSinceLastHandled, boolean stalled,
                            Depth deadLetter) {
    }

    private final BrokerManagement management;
    private final Topology topology;
    private final TransactionOperations<Connection> tx;
    private final QueueHealthSettings thresholds;
    private final ConsumerActivityRepository activity;
    private final OutboxRepository outboxRows;

    public QueueHealth(BrokerManagement management, Topology topology, TransactionOperations<Connection> tx,
                       QueueHealthSettings thresholds, ConsumerActivityRepository activity, OutboxRepository outboxRows) {
        this.management = management;
        this.topology = topology;
        this.tx = tx;
        this.thresholds = thresholds;
        this.activity = activity;
        this.outboxRows = outboxRows;
    }

    private record Recorded(long processed, long failed, Double p95Ms, Double secondsSinceLastHandled) {
    }

    public Report report() {
        Instant now = Instant.now();
        Map<String, BrokerManagement.QueueFigures> broker = null;
        String brokerError = null;
        try {
            broker = management.queues();
        } catch (BrokerUnavailableException e) {
            brokerError = e.getMessage();
        }
        Map<String, Recorded> recorded = new HashMap<>();
        String[] consumers = topology.workQueues().stream().map(WorkQueue::function).toArray(String[]::new);
        Outbox outbox = tx.executeRead(status -> {
            for (ConsumerActivityRepository.Outcomes o : activity.outcomes(consumers, thresholds.getWindow().toMillis() / 1000.0)) {
                recorded.put(o.consumer(), new Recorded(o.processed(), o.failed(),
                        o.p95Micros() == null ? null : o.p95Micros() / 1000.0, null));
            }
            for (WorkQueue q : topology.workQueues()) {
                Recorded r = recorded.getOrDefault(q.function(), new Recorded(0, 0, null, null));
                recorded.put(q.function(), new Recorded(r.processed(), r.failed(), r.p95Ms(),
                        activity.secondsSinceLastOutcome(q.function())));
            }
            OutboxRepository.Backlog backlog = outboxRows.backlog();
            return new Outbox(backlog.pending(), backlog.oldestAgeSeconds());
        });
        List<QueueView> views = new ArrayList<>();
        for (WorkQueue q : topology.workQueues()) {
            views.add(view(q, broker, recorded.getOrDefault(q.function(), new Recorded(0, 0, null, null)), now));
        }
        String overall = brokerError != null ? UNKNOWN : worst(views.stream().map(QueueView::status).toList());
        return new Report(overall, now, brokerError, outbox, views);
    }

    private QueueView view(WorkQueue q, Map<String, BrokerManagement.QueueFigures> broker, Recorded recorded, Instant now) {
        if (broker == null) {
            return new QueueView(q.name(), q.function(), UNKNOWN, List.of("broker figures unavailable"), null, null, null,
                    null, 0, recorded.processed(), recorded.failed(), recorded.p95Ms(), recorded.secondsSinceLastHandled(), false,
                    new Depth(q.deadLetterQueue(), null, null, null, null));
        }
        BrokerManagement.QueueFigures work = broker.get(q.name());
        BrokerManagement.QueueFigures dead = broker.get(q.deadLetterQueue());
        long retrying = 0;
        for (int tier = 1; tier <= q.retry().tiers(); tier++) {
            BrokerManagement.QueueFigures t = broker.get(q.retryQueue(tier));
            retrying += t == null ? 0 : t.ready() + t.unacknowledged();
        }
        List<String> reasons = new ArrayList<>();
        String status = HEALTHY;
        if (work == null || dead == null) {
            reasons.add((work == null ? q.name() : q.deadLetterQueue()) + " is not declared on the broker");
            status = FAILING;
        }
        long ready = work == null ? 0 : work.ready();
        if (exceeds(ready, thresholds.getFailingReady())) {
            status = FAILING;
            reasons.add(ready + " messages ready (more than " + thresholds.getFailingReady() + ")");
        } else if (exceeds(ready, thresholds.getDegradedReady())) {
            status = worst(List.of(status, DEGRADED));
            reasons.add(ready + " messages ready (more than " + thresholds.getDegradedReady() + ")");
        }
        boolean stalled = stalled(work, recorded, now);
        if (stalled) {
            status = FAILING;
            reasons.add("stalled: " + work.consumers() + " consumer(s) hold " + work.unacknowledged() + " unacknowledged and "
                    + work.ready() + " wait, but " + q.function() + " has handled nothing for "
                    + (recorded.secondsSinceLastHandled() == null ? "ever" : Math.round(recorded.secondsSinceLastHandled()) + " s"));
        }
        long deadLetters = dead == null ? 0 : dead.ready() + dead.unacknowledged();
        if (reaches(deadLetters, thresholds.getFailingDeadLetters())) {
            status = FAILING;
            reasons.add(deadLetters + " messages in " + q.deadLetterQueue());
        } else if (reaches(deadLetters, thresholds.getDegradedDeadLetters())) {
            status = worst(List.of(status, DEGRADED));
            reasons.add(deadLetters + " messages in " + q.deadLetterQueue());
        }
        return new QueueView(q.name(), q.function(), status, reasons,
                work == null ? null : work.ready(), work == null ? null : work.unacknowledged(),
                work == null ? null : work.consumers(), age(work, now), retrying,
                recorded.processed(), recorded.failed(), recorded.p95Ms(), recorded.secondsSinceLastHandled(), stalled,
                new Depth(q.deadLetterQueue(), dead == null ? null : dead.ready(), dead == null ? null : dead.unacknowledged(),
                        dead == null ? null : dead.consumers(), age(dead, now)));
    }

    /**
     * Attached, holding unacknowledged messages while more wait, no outcome recorded for stall-after,
     * and (where the broker knows it) the oldest waiting message older than stall-after too, so that
     * a consumer's very first long batch is not taken for a stall.
     */
    private boolean stalled(@Nullable BrokerManagement.QueueFigures work, Recorded recorded, Instant now) {
        long after = thresholds.getStallAfter().toMillis();
        if (after <= 0 || work == null || work.consumers() < 1 || work.unacknowledged() < 1 || work.ready() < 1) {
            return false;
        }
        Double since = recorded.secondsSinceLastHandled();
        Double waiting = age(work, now);
        return (since == null || since * 1000 > after) && (waiting == null || waiting * 1000 > after);
    }

    /** The queues that are stalled right now (empty when the broker's figures are unavailable). */
    public List<String> stalledQueues() {
        return report().queues().stream().filter(QueueView::stalled).map(QueueView::queue).toList();
    }

    private static boolean exceeds(long value, long threshold) {
        return threshold > 0 && value > threshold;
    }

    private static boolean reaches(long value, long threshold) {
        return threshold > 0 && value >= threshold;
    }

    private static Double age(BrokerManagement.QueueFigures q, Instant now) {
        if (q == null || q.headMessageTimestamp() == null || q.ready() == 0) {
            return null;
        }
        return Math.max(0, Duration.between(q.headMessageTimestamp(), now).toMillis() / 1000.0);
    }

    static String worst(List<String> statuses) {
        if (statuses.contains(FAILING)) {
            return FAILING;
        }
        if (statuses.contains(UNKNOWN)) {
            return UNKNOWN;
        }
        return statuses.contains(DEGRADED) ? DEGRADED : HEALTHY;
    }
}
