package realty.core.event;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import realty.core.event.payload.EventPayload;
import realty.core.event.payload.UnreadablePayload;
import realty.core.id.TimeOrderedIds;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The envelope every event shares (spec/events.md §1). {@code id} is the idempotency key of every
 * consumer; {@code version} is the payload's version, and {@code payload} the record that
 * {@link EventType#payloadRecord} names for (type, version). Payload records never hold passwords,
 * tokens or secrets. Decoded by {@link EventCodec} (a missing version reads as 1).
 */
@Serdeable.Serializable
public record EventEnvelope(UUID id,
                            String type,
                            int version,
                            Instant occurredAt,
                            @Nullable UUID companyId,
                            Actor actor,
                            @Nullable String correlationId,
                            @Nullable UUID causationId,
                            AggregateRef aggregate,
                            EventPayload payload) {

    /**
     * A new event of a catalogued type, stamped with a fresh id and the current version.
     *
     * @throws IllegalArgumentException when the payload is not the type's current record
     */
    public static EventEnvelope create(EventType type, @Nullable UUID companyId, Actor actor,
                                       @Nullable String correlationId, @Nullable UUID causationId,
                                       AggregateRef aggregate, EventPayload payload) {
        Class<? extends EventPayload> record = type.payloadRecord(type.version()).orElseThrow();
        if (!record.isInstance(payload)) {
            throw new IllegalArgumentException(type + " v" + type.version() + " takes a " + record.getSimpleName()
                    + " payload, not " + (payload == null ? "null" : payload.getClass().getSimpleName()));
        }
        return new EventEnvelope(TimeOrderedIds.next(), type.typeName(), type.version(), Instant.now(),
                companyId, actor, correlationId, causationId, aggregate, payload);
    }

    public EventType eventType() {
        return EventType.fromName(type).orElseThrow(() -> new IllegalStateException("unknown event type " + type));
    }

    /** The payload as {@code record}; empty when it is another record or could not be read. */
    public <P extends EventPayload> Optional<P> payloadAs(Class<P> record) {
        return record.isInstance(payload) ? Optional.of(record.cast(payload)) : Optional.empty();
    }

    /** Why {@link #payloadAs} is empty for {@code record}: the reason a consumer dead-letters the event with. */
    public String payloadProblem(Class<? extends EventPayload> record) {
        if (payload instanceof UnreadablePayload unreadable) {
            return unreadable.reason();
        }
        return type + " v" + version + " carries a " + (payload == null ? "null" : payload.getClass().getSimpleName())
                + " payload where " + record.getSimpleName() + " was expected";
    }
}
