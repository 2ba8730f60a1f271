package realty.core.event;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.core.beans.BeanProperty;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import realty.core.event.payload.EventPayload;
import realty.core.event.payload.UnreadablePayload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * JSON encoding of envelopes, through Micronaut Serialization (compile-time, no reflection).
 *
 * <p>Decoding reads the envelope, then its payload into the record that {@link EventType} names for
 * (type, version). A payload that cannot be read (unknown type or version, JSON that does not fit
 * the record, a required field missing) becomes an {@link UnreadablePayload} with the reason, so
 * the consumer runtime can dead-letter the event and still record its outcome under its id.
 */
@Singleton
public class EventCodec {
    /** The version of envelopes written before the field existed. */
    static final int UNVERSIONED = 1;

    private final JsonMapper json;

    public EventCodec(JsonMapper json) {
        this.json = json;
    }

    public byte[] encode(EventEnvelope envelope) {
        try {
            return json.writeValueAsBytes(envelope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IOException when the body is not a JSON envelope */
    public EventEnvelope decode(byte[] body) throws IOException {
        JsonNode tree = json.readValue(body, JsonNode.class);
        if (tree == null || !tree.isObject()) {
            throw new IOException("not an event envelope: the body is not a JSON object");
        }
        Header h = json.readValueFromTree(tree, Header.class);
        if (h == null || h.id() == null || h.type() == null || h.aggregate() == null) {
            throw new IOException("not an event envelope: id, type and aggregate are required");
        }
        int version = h.version() == null ? UNVERSIONED : h.version();
        return new EventEnvelope(h.id(), h.type(), version, h.occurredAt(), h.companyId(), h.actor(), h.correlationId(),
                h.causationId(), h.aggregate(), payload(h.type(), version, tree.get("payload")));
    }

    /** The payload of a (type, version) read into its record, or why it cannot be. */
    public EventPayload payload(String type, int version, @Nullable JsonNode payload) {
        Optional<EventType> known = EventType.fromName(type);
        if (known.isEmpty()) {
            return new UnreadablePayload(payload, "unknown event type " + type);
        }
        Optional<Class<? extends EventPayload>> record = known.get().payloadRecord(version);
        if (record.isEmpty()) {
            return new UnreadablePayload(payload, "unsupported version " + version + " of " + type);
        }
        if (payload == null || !payload.isObject()) {
            return new UnreadablePayload(payload, type + " v" + version + " has no payload object");
        }
        EventPayload read;
        try {
            read = json.readValueFromTree(payload, record.get());
        } catch (IOException | RuntimeException e) {
            return new UnreadablePayload(payload, type + " v" + version + " payload does not decode as "
                    + record.get().getSimpleName() + ": " + e.getMessage());
        }
        List<String> missing = new ArrayList<>();
        missingFields(read, "", missing);
        if (!missing.isEmpty()) {
            return new UnreadablePayload(payload, type + " v" + version + " payload has no " + String.join(", ", missing));
        }
        return read;
    }

    /**
     * Serde leaves a missing field null; the records mark optional fields {@code @Nullable}, so every
     * other null is a required field missing (through the compile-time introspection of the records).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void missingFields(Object value, String path, List<String> missing) {
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                missingFields(item, path + "[" + i++ + "]", missing);
            }
            return;
        }
        if (value == null || !value.getClass().getPackageName().startsWith(EventPayload.class.getPackageName())) {
            return;
        }
        Optional<BeanIntrospection<Object>> introspection = BeanIntrospector.SHARED.findIntrospection((Class<Object>) value.getClass());
        if (introspection.isEmpty()) {
            return;
        }
        for (BeanProperty<Object, Object> p : introspection.get().getBeanProperties()) {
            Object v = p.get(value);
            String name = path.isEmpty() ? p.getName() : path + "." + p.getName();
            if (v == null && !p.isNullable() && !p.getType().isPrimitive()) {
                missing.add(name);
            } else {
                missingFields(v, name, missing);
            }
        }
    }

    /** The envelope's fields other than its payload, as they arrive. */
    @Serdeable.Deserializable
    record Header(@Nullable UUID id,
                  @Nullable String type,
                  @Nullable Integer version,
                  @Nullable Instant occurredAt,
                  @Nullable UUID companyId,
                  @Nullable Actor actor,
                  @Nullable String correlationId,
                  @Nullable UUID causationId,
                  @Nullable AggregateRef aggregate) {
    }
}
