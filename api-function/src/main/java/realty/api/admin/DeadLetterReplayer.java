package realty.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.core.audit.AuditRecorder;
import realty.core.broker.BrokerUnavailableException;
import realty.api.deadletter.DeadLetter;
import realty.api.deadletter.DeadLetterFilter;
import realty.api.deadletter.DeadLetterQueues;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.payload.DeadLetterActioned;
import realty.core.id.TimeOrderedIds;
import realty.core.security.Caller;
import realty.core.topology.Topology;
import realty.core.topology.WorkQueue;

import java.io.IOException;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The operator's side of the dead-letter queues: list, replay, discard. Every replay or discard is
 * logged in {@code dead_letter_actions} as STARTED before the broker is touched and finished
 * afterwards, and each message it moved gets an audit-log row ({@code dead_letter.replayed} or
 * {@code dead_letter.discarded}). The broker side ({@link DeadLetterQueues}) never loses a message;
 * at worst a crash leaves a replayed message in the DLQ as well, and the consumers' idempotency
 * makes its second replay a no-op.
 */
@Singleton
public class DeadLetterReplayer {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplayer.class);
    public static final String REPLAYED = "dead_letter.replayed";
    public static final String DISCARDED = "dead_letter.discarded";

    /** What an action did. {@code status}: DONE, NOT_FOUND (nothing matched) or FAILED. */
    @Serdeable
    public record ActionResult(UUID actionId, String action, String status, @JsonInclude(JsonInclude.Include.ALWAYS) List<DeadLetter> messages) {
    }

    @Serdeable
    @Introspected
    public record ActionView(UUID id, String action, String queue, @Nullable String messageId, @Nullable String filter,
                             String actor, @Nullable String requestId, String status, int affected, @Nullable String detail,
                             Instant startedAt, @Nullable Instant finishedAt) {
    }

    private final DeadLetterQueues queues;
    private final Topology topology;
    private final TransactionOperations<Connection> tx;
    private final AuditRecorder audit;
    private final JsonMapper json;
    private final DeadLetterActionRepository actions;

    public DeadLetterReplayer(DeadLetterQueues queues, Topology topology, TransactionOperations<Connection> tx,
                              AuditRecorder audit, JsonMapper json, DeadLetterActionRepository actions) {
        this.queues = queues;
        this.topology = topology;
        this.tx = tx;
        this.audit = audit;
        this.json = json;
        this.actions = actions;
    }

    /** Dead letters of one queue (work queue or DLQ name) or of all, oldest first, none removed. */
    public List<DeadLetter> list(@Nullable String queue, int limit) {
        List<DeadLetter> out = new ArrayList<>();
        for (WorkQueue q : resolve(queue)) {
            if (out.size() >= limit) {
                break;
            }
            out.addAll(broker(() -> queues.list(q, limit - out.size())));
        }
        return out;
    }

    public ActionResult replay(Caller caller, RequestInfo request, String id, @Nullable String queue) {
        return act(caller, request, "REPLAY", queue, id, null, d -> d.id().equals(id), 1);
    }

    public ActionResult replayAll(Caller caller, RequestInfo request, String queue, DeadLetterFilter filter, int max) {
        if (queue == null || queue.isBlank()) {
            throw ProblemException.badRequest("a bulk replay names its queue", Map.of("queue", "required"));
        }
        return act(caller, request, "REPLAY", queue, null, filter, filter::matches, max);
    }

    public ActionResult discard(Caller caller, RequestInfo request, String id, @Nullable String queue) {
        return act(caller, request, "DISCARD", queue, id, null, d -> d.id().equals(id), 1);
    }

    public List<ActionView> recent(int limit) {
        return tx.executeRead(status -> actions.recent(limit));
    }

    private ActionResult act(Caller caller, RequestInfo request, String action, @Nullable String queue, @Nullable String id,
                             @Nullable DeadLetterFilter filter, Predicate<DeadLetter> which, int max) {
        List<WorkQueue> targets = resolve(queue);
        UUID actionId = TimeOrderedIds.next();
        String queueLabel = queue == null || queue.isBlank() ? "*" : targets.get(0).deadLetterQueue();
        tx.executeWrite(status -> {
            actions.start(actionId, action, queueLabel, id, filter == null ? null : json(filter), caller.actorId(),
                    request.requestId());
            return null;
        });
        List<DeadLetter> moved = new ArrayList<>();
        try {
            for (WorkQueue q : targets) {
                int left = id != null ? max : max - moved.size();
                if (left <= 0) {
                    break;
                }
                moved.addAll("REPLAY".equals(action) ? queues.replay(q, which, left) : queues.discard(q, which, left));
            }
        } catch (BrokerUnavailableException e) {
            // Whatever moved before the failure is audited; the rest is still in its DLQ.
            finish(actionId, action, "FAILED", moved, e.getMessage(), caller, request);
            throw unavailable(e);
        }
        String outcome = moved.isEmpty() ? "NOT_FOUND" : "DONE";
        finish(actionId, action, outcome, moved, null, caller, request);
        LOG.info("dead letters: {} of {} message(s) from {} by {} ({})", action.toLowerCase(), moved.size(), queueLabel,
                caller.actorId(), outcome);
        if (id != null && moved.isEmpty()) {
            throw ProblemException.notFound("dead letter " + id);
        }
        return new ActionResult(actionId, action, outcome, moved);
    }

    private void finish(UUID actionId, String action, String outcome, List<DeadLetter> moved, String detail, Caller caller,
                        RequestInfo request) {
        tx.executeWrite(status -> {
            Connection c = status.getConnection();
            actions.finish(actionId, outcome, moved.size(), detail);
            for (DeadLetter d : moved) {
                audit.record(c, auditEvent(actionId, action, d, caller, request));
            }
            return null;
        });
    }

    private static EventEnvelope auditEvent(UUID actionId, String action, DeadLetter d, Caller caller, RequestInfo request) {
        DeadLetterActioned payload = new DeadLetterActioned(actionId, d.queue(), d.workQueue(), d.id(), d.eventType(),
                d.failureKind(), d.error());
        Actor actor = new Actor(caller.actorId(), caller.profileCodes(), null, request.sourceIp(), request.userAgent());
        // Not an event of the catalogue and never published: an envelope only to give the audit row its shape.
        return new EventEnvelope(TimeOrderedIds.next(), "REPLAY".equals(action) ? REPLAYED : DISCARDED, 1, Instant.now(), null,
                actor, request.requestId(), null, new AggregateRef("dead_letter", d.id()), payload);
    }

    private List<WorkQueue> resolve(@Nullable String queue) {
        if (queue == null || queue.isBlank()) {
            return topology.workQueues();
        }
        String name = queue.endsWith(".dlq") ? queue.substring(0, queue.length() - 4) : queue;
        return List.of(topology.queueNamed(name).orElseThrow(() -> ProblemException.badRequest("unknown queue " + queue,
                Map.of("queue", "one of " + topology.workQueues().stream().map(WorkQueue::name).toList()))));
    }

    private String json(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface BrokerCall<T> {
        T call() throws BrokerUnavailableException;
    }

    private static <T> T broker(BrokerCall<T> call) {
        try {
            return call.call();
        } catch (BrokerUnavailableException e) {
            throw unavailable(e);
        }
    }

    private static ProblemException unavailable(BrokerUnavailableException e) {
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Broker unavailable", e.getMessage(), null);
    }
}
