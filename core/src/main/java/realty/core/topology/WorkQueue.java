package realty.core.topology;

import realty.core.event.EventType;

import java.time.Duration;
import java.util.Set;

/**
 * One queue function's work queue and everything around it: the event types bound to it, its
 * arguments, its retry tiers and its dead-letter queue.
 *
 * @param name        queue name, e.g. {@code audit_events}
 * @param function    consumer name recorded in consumer outcomes, e.g. {@code audit}
 * @param maxPriority {@code x-max-priority}
 * @param messageTtl  {@code x-message-ttl}; an expired message dead-letters to the DLQ
 * @param bindings    event types routed here (routing key = event type)
 * @param retry       retry policy (overridable from configuration, see {@code TopologyFactory})
 */
public record WorkQueue(String name, String function, int maxPriority, Duration messageTtl,
                        Set<EventType> bindings, RetryPolicy retry) {

    public WorkQueue {
        bindings = Set.copyOf(bindings);
    }

    public String deadLetterExchange() {
        return "dlx." + name;
    }

    public String deadLetterQueue() {
        return name + ".dlq";
    }

    public String retryQueue(int tier) {
        return name + ".retry." + tier;
    }

    public boolean receives(EventType type) {
        return bindings.contains(type);
    }

    public WorkQueue withRetry(RetryPolicy policy) {
        return new WorkQueue(name, function, maxPriority, messageTtl, bindings, policy);
    }
}
