package realty.core.consumer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * How the messages of a batch that need handling are run inside the batch's transaction. Both
 * strategies give every message its own outcome; they differ in how many round trips that costs.
 */
public interface BatchStrategy {

    /**
     * Runs {@code handler} over {@code messages} (decoded, of a handled type, not yet processed) on
     * {@code connection}, which is in the batch's transaction.
     *
     * @return one run per message, in order; a failed run has left no database effect
     * @throws SQLException when the connection itself fails: the whole batch is then redelivered
     */
    List<HandlerRun> run(Connection connection, List<ReceivedMessage> messages, EventHandler handler) throws SQLException;

    /** Each message under its own savepoint: a failure is rolled back and recovered on its own. */
    static BatchStrategy perMessage() {
        return PerMessageStrategy.INSTANCE;
    }

    /**
     * The whole batch under one savepoint ({@link BatchEventHandler#handleBatch} when the handler
     * has it), falling back to {@link #perMessage()} if any message fails. Only for
     * {@link EventHandler#repeatable() repeatable} handlers, whose effect can be undone.
     */
    static BatchStrategy wholeBatchFirst() {
        return WholeBatchFirstStrategy.INSTANCE;
    }

    /** The fastest strategy that is safe for {@code handler}. */
    static BatchStrategy forHandler(EventHandler handler) {
        return handler.repeatable() ? wholeBatchFirst() : perMessage();
    }
}
