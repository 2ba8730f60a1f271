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
import realty.core.outbox.Outbox;
import realty.core.outbox.OutboxPublisher;
import realty.core.topology.WorkQueue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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

    public ConsumerRuntime(TransactionOperations<Connection> tx, RabbitMQEventDecoder decoder, ConsumerOutcomes outcomes,
                           FailureRecoverer recoverer, EventPublisher publisher, Outbox outbox,
                           OutboxPublisher outboxPublisher) {
        this.tx = tx;
        this.decoder = decoder;
        this.outcomes = outcomes;
        this.recoverer = recoverer;
        this.publisher = publisher;
        this.outbox = outbox;
        this.outboxPublisher = outboxPublisher;
    }

    /**
     * @throws BatchFailedException when no outcome could be recorded: the caller must fail the
     *                              invocation so that the batch is redelivered
     */
    public BatchReport process(RabbitMQEvent event, WorkQueue queue, EventHandler handler) {
        List<ReceivedMessage> messages = decoder.decode(event);
        if (messages.isEmpty()) {
            return new BatchReport(0, 0, 0, 0, 0);
        }
        Pass pass;
        try {
            pass = tx.executeWrite(status -> run(status.getConnection(), messages, queue, handler));
        } catch (RuntimeException e) {
            throw new BatchFailedException("could not record the outcomes of a batch of " + messages.size()
                    + " on " + queue.name() + ": " + e.getMessage(), e);
        }
        try {
            publisher.publish(pass.recoveries);
        } catch (BrokerUnavailableException e) {
            // The outcomes say RETRYING/DEAD but the copies did not reach the broker: fail the
            // invocation so the originals come back; processed ones will be skipped as duplicates.
            throw new BatchFailedException("could not republish " + pass.recoveries.size() + " failed messages", e);
        }
        outboxPublisher.publishCommitted(pass.emitted.stream().map(EventEnvelope::id).toList());
        return pass.report;
    }

    private Pass run(Connection c, List<ReceivedMessage> messages, WorkQueue queue, EventHandler handler) throws SQLException {
        String consumer = queue.function();
        List<UUID> ids = messages.stream().filter(m -> m.envelope() != null).map(m -> m.envelope().id()).toList();
        Map<UUID, String> status = outcomes.lock(c, consumer, ids);
        Map<UUID, ConsumerOutcomes.Outcome> recorded = new LinkedHashMap<>();
        Pass pass = new Pass();
        int processed = 0;
        int duplicates = 0;
        int retried = 0;
        int dead = 0;
        for (ReceivedMessage m : messages) {
            EventEnvelope e = m.envelope();
            if (e == null) {
                FailedAttempt failure = FailedAttempt.undecodable(m.decodeError(), consumer);
                pass.recoveries.add(recoverer.recover(m, queue, failure));
                LOG.warn("{}: undecodable message {} dead-lettered: {}", consumer, m.messageId(), m.decodeError());
                dead++;
                continue;
            }
            if (ConsumerOutcomes.PROCESSED.equals(status.get(e.id()))) {
                duplicates++;
                continue;
            }
            int attempt = m.attempt();
            long started = System.nanoTime();
            HandlerContext context = new HandlerContext(c, attempt);
            Savepoint savepoint = c.setSavepoint();
            try {
                checkSupported(e, handler);
                handler.handle(e, context);
                c.releaseSavepoint(savepoint);
                outbox.append(c, context.emitted());
                pass.emitted.addAll(context.emitted());
                status.put(e.id(), ConsumerOutcomes.PROCESSED);
                recorded.put(e.id(), new ConsumerOutcomes.Outcome(e.id(), ConsumerOutcomes.PROCESSED, attempt, null,
                        micros(started)));
                processed++;
            } catch (Exception ex) {
                c.rollback(savepoint); // throws if the connection itself is gone: then the whole batch fails
                FailedAttempt failure = FailedAttempt.of(attempt, ex instanceof PermanentFailureException, ex, consumer);
                boolean last = recoverer.isFinal(queue, failure);
                pass.recoveries.add(recoverer.recover(m, queue, failure));
                status.put(e.id(), last ? ConsumerOutcomes.DEAD : ConsumerOutcomes.RETRYING);
                recorded.put(e.id(), new ConsumerOutcomes.Outcome(e.id(), last ? ConsumerOutcomes.DEAD : ConsumerOutcomes.RETRYING,
                        attempt, failure.describe(), micros(started)));
                if (last) {
                    dead++;
                    LOG.warn("{}: event {} ({}) dead-lettered after attempt {}: {}", consumer, e.id(), e.type(), attempt,
                            failure.describe());
                } else {
                    retried++;
                    LOG.info("{}: event {} ({}) failed attempt {}, retrying: {}", consumer, e.id(), e.type(), attempt,
                            failure.describe());
                }
            }
        }
        outcomes.record(c, consumer, new ArrayList<>(recorded.values()));
        pass.report = new BatchReport(messages.size(), processed, duplicates, retried, dead);
        return pass;
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
    }

    private static long micros(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1000;
    }

    private static final class Pass {
        final List<OutgoingMessage> recoveries = new ArrayList<>();
        final List<EventEnvelope> emitted = new ArrayList<>();
        BatchReport report;
    }
}
