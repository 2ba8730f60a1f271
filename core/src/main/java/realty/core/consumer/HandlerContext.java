package realty.core.consumer;

import realty.core.event.EventEnvelope;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * The transaction a handler runs in, and the events it emits: those go to the outbox in the same
 * transaction and are published after the commit.
 */
public final class HandlerContext {
    private final Connection connection;
    private final int attempt;
    private final List<EventEnvelope> emitted = new ArrayList<>();

    HandlerContext(Connection connection, int attempt) {
        this.connection = connection;
        this.attempt = attempt;
    }

    public Connection connection() {
        return connection;
    }

    /** 1 for the first delivery, 2 for the first retry, and so on. */
    public int attempt() {
        return attempt;
    }

    public void emit(EventEnvelope event) {
        emitted.add(event);
    }

    List<EventEnvelope> emitted() {
        return emitted;
    }

    /** The handler's work was rolled back: what it emitted never happened either. */
    void discardEmitted() {
        emitted.clear();
    }
}
