package realty.local;

import realty.core.consumer.EventHandler;
import realty.core.consumer.HandlerContext;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;

import java.util.Set;

/**
 * A queue function's real handler with a test's hooks around it: {@code before} may throw to make a
 * delivery fail (a simulated outage), {@code after} sees each delivery the real handler processed.
 */
public final class HookedHandler implements EventHandler {
    /** Runs for one delivery; throwing fails the delivery. */
    @FunctionalInterface
    public interface Hook {
        void run(EventEnvelope event, HandlerContext context) throws Exception;
    }

    private final EventHandler real;
    private final Hook before;
    private final Hook after;

    public HookedHandler(EventHandler real, Hook before, Hook after) {
        this.real = real;
        this.before = before;
        this.after = after;
    }

    public HookedHandler(EventHandler real, Hook before) {
        this(real, before, (event, context) -> { });
    }

    @Override
    public Set<EventType> handledTypes() {
        return real.handledTypes();
    }

    @Override
    public void handle(EventEnvelope event, HandlerContext context) throws Exception {
        before.run(event, context);
        real.handle(event, context);
        after.run(event, context);
    }

    @Override
    public boolean forcesGenericPlans() {
        return real.forcesGenericPlans();
    }

    @Override
    public void afterBatch() {
        real.afterBatch();
    }
}
