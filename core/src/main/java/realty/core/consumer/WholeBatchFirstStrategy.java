package realty.core.consumer;

import realty.core.event.EventEnvelope;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The optimistic path for repeatable handlers: one savepoint for the whole batch instead of two
 * round trips per message, and one {@link BatchEventHandler#handleBatch} call when the handler can
 * apply a batch at once. If any message fails, the pass is rolled back and the batch is run again
 * {@link PerMessageStrategy message by message} to isolate the failure.
 */
final class WholeBatchFirstStrategy implements BatchStrategy {
    static final WholeBatchFirstStrategy INSTANCE = new WholeBatchFirstStrategy();

    private WholeBatchFirstStrategy() {
    }

    @Override
    public List<HandlerRun> run(Connection c, List<ReceivedMessage> messages, EventHandler handler) throws SQLException {
        if (messages.isEmpty()) {
            return List.of();
        }
        Savepoint whole = c.setSavepoint();
        Optional<List<HandlerRun>> runs = handler instanceof BatchEventHandler batch
                ? allAtOnce(c, messages, batch) : oneByOneUntilFailure(c, messages, handler);
        if (runs.isPresent()) {
            c.releaseSavepoint(whole);
            return runs.get();
        }
        c.rollback(whole);
        return PerMessageStrategy.INSTANCE.run(c, messages, handler);
    }

    private static Optional<List<HandlerRun>> allAtOnce(Connection c, List<ReceivedMessage> messages, BatchEventHandler handler) {
        long started = System.nanoTime();
        int maxAttempt = messages.stream().mapToInt(ReceivedMessage::attempt).max().orElse(1);
        HandlerContext context = new HandlerContext(c, maxAttempt);
        List<EventEnvelope> events = messages.stream().map(ReceivedMessage::envelope).toList();
        try {
            handler.handleBatch(events, context);
        } catch (Exception e) {
            return Optional.empty();
        }
        long each = HandlerRun.micros(started) / messages.size();
        List<HandlerRun> runs = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            // The batch's emitted events are carried by the first run, so that each goes to the outbox once.
            HandlerContext own = i == 0 ? context : new HandlerContext(c, messages.get(i).attempt());
            runs.add(new HandlerRun(messages.get(i), own, each, null));
        }
        return Optional.of(runs);
    }

    private static Optional<List<HandlerRun>> oneByOneUntilFailure(Connection c, List<ReceivedMessage> messages,
                                                                   EventHandler handler) {
        List<HandlerRun> runs = new ArrayList<>(messages.size());
        for (ReceivedMessage m : messages) {
            long started = System.nanoTime();
            HandlerContext context = new HandlerContext(c, m.attempt());
            try {
                handler.handle(m.envelope(), context);
            } catch (Exception e) {
                return Optional.empty();
            }
            runs.add(new HandlerRun(m, context, HandlerRun.micros(started), null));
        }
        return Optional.of(runs);
    }
}
