package realty.core.event;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The envelope every event shares (spec/events.md §1). {@code id} is the idempotency key of every
 * consumer. {@code payload} never holds passwords, tokens or secrets.
 */
@Serdeable
public record EventEnvelope(UUID id,
                            String type,
                            int version,
                            Instant occurredAt,
                            @Nullable UUID companyId,
                            Actor actor,
                            @Nullable String correlationId,
                            @Nullable UUID causationId,
                            AggregateRef aggregate,
                            Map<String, Object> payload) {

    /** A new event of a catalogued type, stamped with a fresh id and the current version. */
    public static EventEnvelope create(EventType type, @Nullable UUID companyId, Actor actor,
                                       @Nullable String correlationId, @Nullable UUID causationId,
                                       AggregateRef aggregate, Map<String, Object> payload) {
        return new EventEnvelope(UUID.randomUUID(), type.typeName(), type.version(), Instant.now(),
                companyId, actor, correlationId, causationId, aggregate, payload);
    }

    public EventType eventType() {
        return EventType.fromName(type).orElseThrow(() -> new IllegalStateException("unknown event type " + type));
    }
}
