package realty.core.consumer;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.micronaut.transaction.TransactionOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.broker.BrokerUnavailableException;
import realty.core.broker.EventPublisher;
import realty.core.broker.OutgoingMessage;
import realty.core.bulk.BulkProgress;
import realty.core.db.GenericPlans;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.UnreadablePayload;
import realty.core.observability.EventMetrics;
import realty.core.outbox.Outbox;
import realty.core.outbox.OutboxPublisher;
import realty.core.topology.WorkQueue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Runs one queue function's {@link EventHandler} over a {@code RabbitMQEvent} batch, giving every
 * message its own outcome. Built by {@link BatchMessageHandlerBuilder}; immutable.
 *
 * <p>Lambda's Amazon MQ event source has no partial-batch response (unlike SQS): a failed invocation
 * brings the whole batch back, and "Lambda event source mappings process each event at least once,
 * and duplicate processing of records can occur" (https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html).
 * So the outcomes are kept here instead: the batch runs in one database transaction, where
 * {@code consumer_outcomes} is locked first (a redelivered message that already succeeded is a duplicate, skipped) and written last,
 * together with the handler's effects and the events it emitted (outbox). A failed message is
 * undone on its own by the {@link BatchStrategy} and, after the commit, republished to a delay tier
 * or the dead-letter queue by the {@link FailureRecoverer}. Only when the outcomes cannot be
 * committed or the failures cannot be republished is the result {@link BatchResult.Redeliver}.
 *
 * <p>Then, per message, the success or failure hook and the {@link ConsumerListener} (logs and
 * metrics) run, the emitted events are published, and the handler's {@link EventHandler#afterBatch}.
 */
public final class RabbitMQBatchMessageHandler implements BatchMessageHandler<RabbitMQEvent, BatchResult> {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitMQBatchMessageHandler.class);
    private final WorkQueue queue;
    private final EventHandler handler;
    private final BatchStrategy strategy;
    private final Consumer<MessageOutcome> successHandler;
    private final BiConsumer<MessageOutcome, Throwable> failureHandler;
    private final ConsumerListener listener;
    private final TransactionOperations<Connection> tx;
    private final RabbitMQEventDecoder decoder;
    private final ConsumerOutcomes outcomes;
    private final FailureRecoverer recoverer;
    private final EventPublisher publisher;
    private final Outbox outbox;
    private final OutboxPublisher outboxPublisher;
    private final BulkProgress bulks;
    /** The first batch of this execution environment pays for its start-up: logged as coldStart. */
    private final AtomicBoolean cold = new AtomicBoolean(true);

    RabbitMQBatchMessageHandler(WorkQueue queue, EventHandler handler, BatchStrategy strategy,
                                Consumer<MessageOutcome> successHandler, BiConsumer<MessageOutcome, Throwable> failureHandler,
                                ConsumerListener listener, TransactionOperations<Connection> tx, RabbitMQEventDecoder decoder,
                                ConsumerOutcomes outcomes, FailureRecoverer recoverer, EventPublisher publisher, Outbox outbox,
                                OutboxPublisher outboxPublisher, BulkProgress bulks) {
        this.queue = queue;
        this.handler = handler;
        this.strategy = strategy;
        this.successHandler = successHandler;
        this.failureHandler = failureHandler;
        this.listener = listener;
        this.tx = tx;
        this.decoder = decoder;
        this.outcomes = outcomes;
        this.recoverer = recoverer;
        this.publisher = publisher;
        this.outbox = outbox;
        this.outboxPublisher = outboxPublisher;
        this.bulks = bulks;
    }

    public WorkQueue queue() {
        return queue;
    }

    @Override
    public BatchResult processBatch(RabbitMQEvent event) {
        boolean coldStart = cold.getAndSet(false);
        List<ReceivedMessage> messages = decoder.decode(event);
        if (messages.isEmpty()) {
            return new BatchResult.Committed(new BatchReport(0, 0, 0, 0, 0));
        }
        Pass pass;
        try {
            pass = tx.executeWrite(status -> run(status.getConnection(), messages));
        } catch (RuntimeException e) {
            return redeliver(messages.size(), "could not record the outcomes of a batch of " + messages.size()
                    + " on " + queue.name() + ": " + e.getMessage(), e);
        }
        try {
            publisher.publish(pass.recoveries);
        } catch (BrokerUnavailableException e) {
            // The outcomes say RETRYING/DEAD but the copies did not reach the broker: the originals
            // must come back; the processed ones will then be skipped as duplicates.
            return redeliver(messages.size(), "could not republish " + pass.recoveries.size() + " failed messages: "
                    + e.getMessage(), e);
        }
        for (MessageOutcome o : pass.outcomes) {
            listener.onMessage(queue, o, coldStart);
            if (o.succeeded()) {
                successHandler.accept(o);
            } else if (o.failed()) {
                failureHandler.accept(o, o.error() != null ? o.error() : new PermanentFailureException(o.failure().describe()));
            }
        }
        outboxPublisher.publishCommitted(pass.emitted.stream().map(EventEnvelope::id).toList());
        afterBatch();
        return new BatchResult.Committed(report(messages.size(), pass.outcomes));
    }

    private void afterBatch() {
        try {
            handler.afterBatch();
        } catch (RuntimeException e) {
            LOG.warn("after-batch work of {} failed: {}", queue.name(), e.toString());
        }
    }

    private BatchResult.Redeliver redeliver(int messages, String reason, Throwable cause) {
        BatchResult.Redeliver r = new BatchResult.Redeliver(messages, reason, cause);
        listener.onRedelivery(queue, r);
        return r;
    }

    /**
     * The batch's transaction: lock the outcomes, sort the messages, run the handler, record. Its
     * statements may run on kept generic plans: every one of them is checked as a generic plan on a
     * million rows without statistics (GenericPlans).
     */
    private Pass run(Connection c, List<ReceivedMessage> messages) throws SQLException {
        if (handler.forcesGenericPlans()) {
            GenericPlans.force(c);
        } else {
            GenericPlans.allow(c);
        }
        String consumer = queue.function();
        List<UUID> ids = messages.stream().filter(m -> m.envelope() != null).map(m -> m.envelope().id()).toList();
        Map<UUID, String> status = outcomes.lock(c, consumer, ids);

        Pass pass = new Pass();
        Map<ReceivedMessage, MessageOutcome> settled = new IdentityHashMap<>();
        List<ReceivedMessage> toHandle = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        for (ReceivedMessage m : messages) {
            EventEnvelope e = m.envelope();
            if (e == null) {
                settled.put(m, failed(pass, m, FailedAttempt.undecodable(m.decodeError(), consumer), null, 0));
            } else if (ConsumerOutcomes.PROCESSED.equals(status.get(e.id())) || !seen.add(e.id())) {
                // Processed by an earlier delivery, or a second copy in this batch.
                settled.put(m, new MessageOutcome(m, EventMetrics.Outcome.DUPLICATE, m.attempt(), 0, null, null));
            } else {
                Optional<String> unsupported = unsupported(e);
                if (unsupported.isPresent()) {
                    PermanentFailureException error = new PermanentFailureException(unsupported.get());
                    settled.put(m, failed(pass, m, FailedAttempt.of(m.attempt(), true, error, consumer), error, 0));
                } else {
                    toHandle.add(m);
                }
            }
        }

        for (HandlerRun run : strategy.run(c, toHandle, handler)) {
            ReceivedMessage m = run.message();
            if (run.succeeded()) {
                pass.emitted.addAll(run.context().emitted());
                settled.put(m, new MessageOutcome(m, EventMetrics.Outcome.PROCESSED, m.attempt(), run.durationMicros(), null, null));
            } else {
                Exception error = run.failure();
                FailedAttempt failure = FailedAttempt.of(m.attempt(), error instanceof PermanentFailureException, error, consumer);
                settled.put(m, failed(pass, m, failure, error, run.durationMicros()));
            }
        }

        outbox.append(c, pass.emitted);
        List<ConsumerOutcomes.Outcome> records = new ArrayList<>();
        List<BulkProgress.Settled> firstSettled = new ArrayList<>();
        for (ReceivedMessage m : messages) {
            MessageOutcome o = settled.get(m);
            pass.outcomes.add(o);
            if (m.envelope() != null && o.outcome() != EventMetrics.Outcome.DUPLICATE) {
                String now = status(o.outcome());
                records.add(new ConsumerOutcomes.Outcome(m.envelope().id(), now, o.attempt(),
                        o.failure() == null ? null : o.failure().describe(), o.durationMicros()));
                if (ConsumerOutcomes.isFinal(now) && !ConsumerOutcomes.isFinal(status.get(m.envelope().id()))) {
                    firstSettled.add(new BulkProgress.Settled(m.envelope(), ConsumerOutcomes.DEAD.equals(now)));
                }
            }
        }
        outcomes.record(c, consumer, records);
        // After the outcomes, so that a bulk this batch finishes counts the batch's own dead letters.
        List<EventEnvelope> finished = bulks.settle(firstSettled, pass.emitted);
        outbox.append(c, finished);
        pass.emitted.addAll(finished);
        return pass;
    }

    /** Routes a failure through the recoverer: the copy to republish after the commit, and the outcome. */
    private MessageOutcome failed(Pass pass, ReceivedMessage m, FailedAttempt failure, Exception error, long micros) {
        pass.recoveries.add(recoverer.recover(m, queue, failure));
        EventMetrics.Outcome outcome = recoverer.isFinal(queue, failure) ? EventMetrics.Outcome.DEAD_LETTERED
                : EventMetrics.Outcome.RETRIED;
        return new MessageOutcome(m, outcome, failure.attempt(), micros, failure, error);
    }

    /** Why the handler must not see this event (a permanent failure), if it must not. */
    private Optional<String> unsupported(EventEnvelope e) {
        Optional<EventType> type = EventType.fromName(e.type());
        if (type.isEmpty()) {
            return Optional.of("unknown event type " + e.type());
        }
        if (!handler.handledTypes().contains(type.get())) {
            return Optional.of("this function does not handle " + e.type() + " yet");
        }
        if (e.version() < 1 || e.version() > type.get().version()) {
            return Optional.of("unsupported version " + e.version() + " of " + e.type());
        }
        if (e.payload() instanceof UnreadablePayload unreadable) {
            return Optional.of(unreadable.reason());
        }
        return Optional.empty();
    }

    private static String status(EventMetrics.Outcome outcome) {
        return switch (outcome) {
            case PROCESSED, DUPLICATE -> ConsumerOutcomes.PROCESSED;
            case RETRIED -> ConsumerOutcomes.RETRYING;
            case DEAD_LETTERED -> ConsumerOutcomes.DEAD;
        };
    }

    private static BatchReport report(int received, List<MessageOutcome> outcomes) {
        int[] n = new int[EventMetrics.Outcome.values().length];
        outcomes.forEach(o -> n[o.outcome().ordinal()]++);
        return new BatchReport(received, n[EventMetrics.Outcome.PROCESSED.ordinal()], n[EventMetrics.Outcome.DUPLICATE.ordinal()],
                n[EventMetrics.Outcome.RETRIED.ordinal()], n[EventMetrics.Outcome.DEAD_LETTERED.ordinal()]);
    }

    /** What the transaction leaves for after the commit. */
    private static final class Pass {
        final List<OutgoingMessage> recoveries = new ArrayList<>();
        final List<EventEnvelope> emitted = new ArrayList<>();
        final List<MessageOutcome> outcomes = new ArrayList<>();
    }
}
