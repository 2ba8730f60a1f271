package realty.core.consumer;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/** One savepoint per message, so that a failing message is undone without its neighbours. */
final class PerMessageStrategy implements BatchStrategy {
    static final PerMessageStrategy INSTANCE = new PerMessageStrategy();

    private PerMessageStrategy() {
    }

    @Override
    public List<HandlerRun> run(Connection c, List<ReceivedMessage> messages, EventHandler handler) throws SQLException {
        List<HandlerRun> runs = new ArrayList<>(messages.size());
        for (ReceivedMessage m : messages) {
            long started = System.nanoTime();
            HandlerContext context = new HandlerContext(c, m.attempt());
            Savepoint savepoint = c.setSavepoint();
            Exception failure = null;
            try {
                handler.handle(m.envelope(), context);
            } catch (Exception e) {
                failure = e;
            }
            if (failure == null) {
                c.releaseSavepoint(savepoint);
            } else {
                c.rollback(savepoint); // throws if the connection itself is gone: then the whole batch fails
                context.discardEmitted();
            }
            runs.add(new HandlerRun(m, context, HandlerRun.micros(started), failure));
        }
        return runs;
    }
}
