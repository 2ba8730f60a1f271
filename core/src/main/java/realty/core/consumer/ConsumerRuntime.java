package realty.core.consumer;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.broker.BrokerUnavailableException;
import realty.core.broker.EventPublisher;
import realty.core.broker.OutgoingMessage;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.UnreadablePayload;
import realty.core.observability.EventLog;
import realty.core.observability.EventMetrics;
import realty.core.outbox.Outbox;
import realty.core.outbox.OutboxPublisher;
import realty.core.topology.WorkQueue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one queue function's handler over a {@code RabbitMQEvent} batch.
 *
 * <p>Lambda's RabbitMQ event source redelivers a whole batch when the invocation fails and offers
 * no partial-batch response (https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html), so every
 * message gets its own outcome here instead: the batch runs in one database transaction, each
 * message inside its own savepoint, and each outcome is recorded in {@code consumer_outcomes} in
 * that same transaction. A failed message is rolled back to its savepoint and, after the commit,
 * republished to a delay tier or the dead-letter queue by the {@link FailureRecoverer}. The
 * invocation fails (and the batch comes back whole) only when the outcomes cannot be recorded or
 * the failures cannot be republished; a redelivered message that already succeeded is skipped.
 * Once the outcomes are committed, each message gets its metrics and one log line
 * ({@link EventLog}).
 */
@Singleton
public class ConsumerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerRuntime.class);

    private final TransactionOperations<Connection> tx;
    private final RabbitMQEventDecoder decoder;
    private final ConsumerOutcomes outcomes;
    private final FailureRecoverer recoverer;
    private final EventPublisher publisher;
    private final Outbox outbox;
    private final OutboxPublisher outboxPublisher;
    private final EventMetrics metrics;
    /** The first batch of this execution environment pays for its start-up: logged as coldStart. */
    private final AtomicBoolean cold = new AtomicBoolean(true);

    public ConsumerRuntime(TransactionOperations<Connection> tx, RabbitMQEventDecoder decoder, ConsumerOutcomes outcomes,
                           FailureRecoverer recoverer, EventPublisher publisher, Outbox outbox,
                           OutboxPublisher outboxPublisher, EventMetrics metrics) {
        this.tx = tx;
        this.decoder = decoder;
        this.outcomes = outcomes;
        this.recoverer = recoverer;
        this.publisher = publisher;
        this.outbox = outbox;
        this.outboxPublisher = outboxPublisher;
        this.metrics = metrics;
    }

    /**
     * @throws BatchFailedException when no outcome could be recorded: the caller must fail the
     *                              invocation so that the batch is redelivered
     */
    public BatchReport process(RabbitMQEvent event, WorkQueue queue, EventHandler handler) {
        boolean coldStart = cold.getAndSet(false);
        List<ReceivedMessage> messages = decoder.decode(event);
        if (messages.isEmpty()) {
            return new BatchReport(0, 0, 0, 0, 0);
        }
        Pass pass;
        try {
            pass = tx.executeWrite(status -> run(status.getConnection(), messages, queue, handler, coldStart));
        } catch (RuntimeException e) {
            LOG.error("{}: batch of {} failed, it will be redelivered: {}", queue.function(), messages.size(), e.getMessage());
            throw new BatchFailedException("could not record the outcomes of a batch of " + messages.size()
                    + " on " + queue.name() + ": " + e.getMessage(), e);
        }
        try {
            publisher.publish(pass.recoveries);
        } catch (BrokerUnavailableException e) {
            // The outcomes say RETRYING/DEAD but the copies did not reach the broker: fail the
            // invocation so the originals come back; processed ones will be skipped as duplicates.
            LOG.error("{}: could not republish {} failed messages, the batch will be redelivered: {}", queue.function(),
                    pass.recoveries.size(), e.getMessage());
            throw new BatchFailedException("could not republish " + pass.recoveries.size() + " failed messages", e);
        }
        for (EventLog.Handled h : pass.handled) {
            metrics.handled(h.queue(), h.eventType(), h.outcome(), h.durationMicros());
            EventLog.write(h);
        }
        outboxPublisher.publishCommitted(pass.emitted.stream().map(EventEnvelope::id).toList()); // flushes the metrics
        if (pass.emitted.isEmpty()) {
            metrics.flush();
        }
        return pass.report;
    }

    private Pass run(Connection c, List<ReceivedMessage> messages, WorkQueue queue, EventHandler handler,
                     boolean coldStart) throws SQLException {
        String consumer = queue.function();
        List<UUID> ids = messages.stream().filter(m -> m.envelope() != null).map(m -> m.envelope().id()).toList();
        Map<UUID, String> status = outcomes.lock(c, consumer, ids);
        if (handler.repeatable()) {
            // Optimistic pass: one savepoint for the whole batch instead of two round trips per
            // message. If any message fails, undo the pass and redo it message by message.
            Savepoint whole = c.setSavepoint();
            try {
                Pass pass = pass(c, messages, queue, handler, coldStart, new HashMap<>(status), false);
                c.releaseSavepoint(whole);
                return pass;
            } catch (OptimisticPassFailed e) {
                c.rollback(whole);
            }
        }
        return pass(c, messages, queue, handler, coldStart, status, true);
    }

    /**
     * Runs the handler over the batch. With {@code isolate} each message has its own savepoint and
     * a failure is routed on its own; without, the first failure aborts the pass.
     */
    private Pass pass(Connection c, List<ReceivedMessage> messages, WorkQueue queue, EventHandler handler,
                      boolean coldStart, Map<UUID, String> status, boolean isolate) throws SQLException {
        String consumer = queue.function();
        Map<UUID, ConsumerOutcomes.Outcome> recorded = new LinkedHashMap<>();
        Pass pass = new Pass();
        int processed = 0;
        int duplicates = 0;
        int retried = 0;
        int dead = 0;
        BatchEventHandler batchHandler = !isolate && handler instanceof BatchEventHandler b ? b : null;
        List<ReceivedMessage> deferred = new ArrayList<>();
        for (ReceivedMessage m : messages) {
            EventEnvelope e = m.envelope();
            if (e == null) {
                FailedAttempt failure = FailedAttempt.undecodable(m.decodeError(), consumer);
                pass.recoveries.add(recoverer.recover(m, queue, failure));
                pass.handled.add(new EventLog.Handled(consumer, queue.name(), m.messageId(), m.type(), null, m.correlationId(),
                        1, EventMetrics.Outcome.DEAD_LETTERED, 0, coldStart, failure.describe()));
                dead++;
                continue;
            }
            if (ConsumerOutcomes.PROCESSED.equals(status.get(e.id()))) {
                pass.handled.add(handled(consumer, queue, e, m.attempt(), EventMetrics.Outcome.DUPLICATE, 0, coldStart, null));
                duplicates++;
                continue;
            }
            int attempt = m.attempt();
            if (batchHandler != null) {
                try {
                    checkSupported(e, handler);
                } catch (PermanentFailureException ex) {
                    throw new OptimisticPassFailed(ex);
                }
                status.put(e.id(), ConsumerOutcomes.PROCESSED); // a second copy in this batch is a duplicate
                deferred.add(m);
                continue;
            }
            long started = System.nanoTime();
            HandlerContext context = new HandlerContext(c, attempt);
            Savepoint savepoint = isolate ? c.setSavepoint() : null;
            try {
                checkSupported(e, handler);
                handler.handle(e, context);
                if (isolate) {
                    c.releaseSavepoint(savepoint);
                }
                outbox.append(c, context.emitted());
                pass.emitted.addAll(context.emitted());
                status.put(e.id(), ConsumerOutcomes.PROCESSED);
                long micros = micros(started);
                recorded.put(e.id(), new ConsumerOutcomes.Outcome(e.id(), ConsumerOutcomes.PROCESSED, attempt, null, micros));
                pass.handled.add(handled(consumer, queue, e, attempt, EventMetrics.Outcome.PROCESSED, micros, coldStart, null));
                processed++;
            } catch (Exception ex) {
                if (!isolate) {
                    throw new OptimisticPassFailed(ex);
                }
                c.rollback(savepoint); // throws if the connection itself is gone: then the whole batch fails
                FailedAttempt failure = FailedAttempt.of(attempt, ex instanceof PermanentFailureException, ex, consumer);
                boolean last = recoverer.isFinal(queue, failure);
                pass.recoveries.add(recoverer.recover(m, queue, failure));
                status.put(e.id(), last ? ConsumerOutcomes.DEAD : ConsumerOutcomes.RETRYING);
                long micros = micros(started);
                recorded.put(e.id(), new ConsumerOutcomes.Outcome(e.id(), last ? ConsumerOutcomes.DEAD : ConsumerOutcomes.RETRYING,
                        attempt, failure.describe(), micros));
                pass.handled.add(handled(consumer, queue, e, attempt,
                        last ? EventMetrics.Outcome.DEAD_LETTERED : EventMetrics.Outcome.RETRIED, micros, coldStart, failure.describe()));
                if (last) {
                    dead++;
                } else {
                    retried++;
                }
            }
        }
        if (!deferred.isEmpty()) {
            processed += handleDeferred(c, deferred, batchHandler, queue, coldStart, recorded, pass);
        }
        outcomes.record(c, consumer, new ArrayList<>(recorded.values()));
        pass.report = new BatchReport(messages.size(), processed, duplicates, retried, dead);
        return pass;
    }

    /** The optimistic pass of a batch handler: every deferred event in one call. */
    private int handleDeferred(Connection c, List<ReceivedMessage> deferred, BatchEventHandler handler, WorkQueue queue,
                               boolean coldStart, Map<UUID, ConsumerOutcomes.Outcome> recorded, Pass pass) throws SQLException {
        long started = System.nanoTime();
        int maxAttempt = deferred.stream().mapToInt(ReceivedMessage::attempt).max().orElse(1);
        HandlerContext context = new HandlerContext(c, maxAttempt);
        try {
            handler.handleBatch(deferred.stream().map(ReceivedMessage::envelope).toList(), context);
        } catch (Exception ex) {
            throw new OptimisticPassFailed(ex);
        }
        outbox.append(c, context.emitted());
        pass.emitted.addAll(context.emitted());
        long each = micros(started) / deferred.size();
        for (ReceivedMessage m : deferred) {
            EventEnvelope e = m.envelope();
            recorded.put(e.id(), new ConsumerOutcomes.Outcome(e.id(), ConsumerOutcomes.PROCESSED, m.attempt(), null, each));
            pass.handled.add(handled(queue.function(), queue, e, m.attempt(), EventMetrics.Outcome.PROCESSED, each, coldStart, null));
        }
        return deferred.size();
    }

    private static void checkSupported(EventEnvelope e, EventHandler handler) throws PermanentFailureException {
        Optional<EventType> type = EventType.fromName(e.type());
        if (type.isEmpty()) {
            throw new PermanentFailureException("unknown event type " + e.type());
        }
        if (!handler.handledTypes().contains(type.get())) {
            throw new PermanentFailureException("this function does not handle " + e.type() + " yet");
        }
        if (e.version() < 1 || e.version() > type.get().version()) {
            throw new PermanentFailureException("unsupported version " + e.version() + " of " + e.type());
        }
        if (e.payload() instanceof UnreadablePayload unreadable) {
            throw new PermanentFailureException(unreadable.reason());
        }
    }

    private static EventLog.Handled handled(String consumer, WorkQueue queue, EventEnvelope e, int attempt,
                                            EventMetrics.Outcome outcome, long micros, boolean coldStart, String error) {
        return new EventLog.Handled(consumer, queue.name(), e.id().toString(), e.type(), e.companyId(), e.correlationId(),
                attempt, outcome, micros, coldStart, error);
    }

    private static long micros(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1000;
    }

    /** A handler failed during the optimistic pass: redo the batch with a savepoint per message. */
    private static final class OptimisticPassFailed extends RuntimeException {
        OptimisticPassFailed(Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private static final class Pass {
        final List<OutgoingMessage> recoveries = new ArrayList<>();
        final List<EventEnvelope> emitted = new ArrayList<>();
        final List<EventLog.Handled> handled = new ArrayList<>();
        BatchReport report;
    }
}
