package realty.core.consumer;

import io.micronaut.context.annotation.Prototype;
import io.micronaut.transaction.TransactionOperations;
import realty.core.broker.EventPublisher;
import realty.core.bulk.BulkProgress;
import realty.core.outbox.Outbox;
import realty.core.outbox.OutboxPublisher;
import realty.core.topology.WorkQueue;

import java.sql.Connection;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Builds a {@link RabbitMQBatchMessageHandler}, in the shape of Powertools'
 * {@code BatchMessageHandlerBuilder}: optional success and failure hooks, a batch strategy (by
 * default the fastest one that is safe for the handler) and a listener (by default logs and
 * metrics). A prototype bean: every injection point gets a fresh builder.
 *
 * <p>Hooks run after the batch's outcomes are committed, so they never see a success that was
 * rolled back. A hook that throws fails the invocation and the batch comes back: its processed
 * messages are then skipped as duplicates, its failed ones tried again.
 */
@Prototype
public class BatchMessageHandlerBuilder {
    private final TransactionOperations<Connection> tx;
    private final RabbitMQEventDecoder decoder;
    private final ConsumerOutcomes outcomes;
    private final FailureRecoverer recoverer;
    private final EventPublisher publisher;
    private final Outbox outbox;
    private final OutboxPublisher outboxPublisher;
    private final BulkProgress bulks;
    private ConsumerListener listener;
    private BatchStrategy strategy;
    private Consumer<MessageOutcome> successHandler = o -> { };
    private BiConsumer<MessageOutcome, Throwable> failureHandler = (o, e) -> { };

    public BatchMessageHandlerBuilder(TransactionOperations<Connection> tx, RabbitMQEventDecoder decoder,
                                      ConsumerOutcomes outcomes, FailureRecoverer recoverer, EventPublisher publisher,
                                      Outbox outbox, OutboxPublisher outboxPublisher, ConsumerListener listener,
                                      BulkProgress bulks) {
        this.tx = tx;
        this.decoder = decoder;
        this.outcomes = outcomes;
        this.recoverer = recoverer;
        this.publisher = publisher;
        this.outbox = outbox;
        this.outboxPublisher = outboxPublisher;
        this.listener = listener;
        this.bulks = bulks;
    }

    /** Replaces the default strategy ({@link BatchStrategy#forHandler}). */
    public BatchMessageHandlerBuilder withStrategy(BatchStrategy strategy) {
        this.strategy = Objects.requireNonNull(strategy);
        return this;
    }

    /** Runs for each processed message, after its outcome is committed. */
    public BatchMessageHandlerBuilder withSuccessHandler(Consumer<MessageOutcome> successHandler) {
        this.successHandler = Objects.requireNonNull(successHandler);
        return this;
    }

    /** Runs for each retried or dead-lettered message, after its outcome is committed and its copy republished. */
    public BatchMessageHandlerBuilder withFailureHandler(BiConsumer<MessageOutcome, Throwable> failureHandler) {
        this.failureHandler = Objects.requireNonNull(failureHandler);
        return this;
    }

    /** Replaces the default listener ({@link LogsAndMetricsListener}). */
    public BatchMessageHandlerBuilder withListener(ConsumerListener listener) {
        this.listener = Objects.requireNonNull(listener);
        return this;
    }

    public RabbitMQBatchMessageHandler buildWithEventHandler(WorkQueue queue, EventHandler handler) {
        return new RabbitMQBatchMessageHandler(queue, handler, strategy != null ? strategy : BatchStrategy.forHandler(handler),
                successHandler, failureHandler, listener, tx, decoder, outcomes, recoverer, publisher, outbox, outboxPublisher, bulks);
    }
}
