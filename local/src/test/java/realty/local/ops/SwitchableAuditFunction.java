package realty.local.ops;

import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;
import realty.audit.AuditFunction;
import realty.audit.AuditLogWriter;
import realty.core.consumer.EventHandler;
import realty.core.consumer.HandlerContext;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.topology.Topology;

import java.util.Map;
import java.util.Set;
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
        AuditLogWriter real = writer;
        return new EventHandler() {
            @Override
            public Set<EventType> handledTypes() {
                return real.handledTypes();
            }

            @Override
            public void handle(EventEnvelope event, HandlerContext context) throws Exception {
                String email = String.valueOf(event.payload().get("email"));
                if (email.startsWith("broken") && faults.broken.get()) {
                    throw new IllegalStateException("simulated: the audit store is unavailable");
                }
                if (email.startsWith("flaky") && context.attempt() == 1) {
                    throw new IllegalStateException("simulated: a passing failure on attempt 1");
                }
                real.handle(event, context);
                faults.handled.computeIfAbsent(event.id(), k -> new AtomicInteger()).incrementAndGet();
            }
        };
    }
}
