package realty.local.ops;

import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;
import realty.audit.AuditFunction;
import realty.core.consumer.EventHandler;
import realty.core.topology.Topology;
import realty.local.HookedHandler;
import realty.core.event.payload.UserCreated;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real audit function with a switchable fault: while {@link Faults#broken} is on, events for
 * e-mails starting "broken" fail every attempt; events for e-mails starting "flaky" fail their
 * first attempt only. It counts how often the real handler ran per event.
 */
public class SwitchableAuditFunction extends AuditFunction {
    @Inject
    protected Topology makesThisAnInjectableClass;

    private final Faults faults;

    /** The switch and the count of successful handler runs per event. */
    static final class Faults {
        final AtomicBoolean broken = new AtomicBoolean(true);
        final Map<UUID, AtomicInteger> handled = new ConcurrentHashMap<>();

        int handled(UUID eventId) {
            AtomicInteger n = handled.get(eventId);
            return n == null ? 0 : n.get();
        }
    }

    public SwitchableAuditFunction(ApplicationContext ctx, Faults faults) {
        super(ctx);
        this.faults = faults;
    }

    @Override
    protected EventHandler handler() {
        return new HookedHandler(super.handler(), (event, context) -> {
            String email = String.valueOf(event.payloadAs(UserCreated.class).map(UserCreated::email).orElse(null));
            if (email.startsWith("broken") && faults.broken.get()) {
                throw new IllegalStateException("simulated: the audit store is unavailable");
            }
            if (email.startsWith("flaky") && context.attempt() == 1) {
                throw new IllegalStateException("simulated: a passing failure on attempt 1");
            }
        }, (event, context) -> faults.handled.computeIfAbsent(event.id(), k -> new AtomicInteger()).incrementAndGet());
    }
}
