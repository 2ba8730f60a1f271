package realty.notification;

import realty.core.consumer.PermanentFailureException;
import realty.core.event.EventEnvelope;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads an event's payload defensively: the producers of most notified events evolve apart from
 * this function, so every field is optional here, several spellings are accepted where producers
 * plausibly differ, and a field that is required but missing or malformed is a
 * {@link PermanentFailureException} that names the event type and the field.
 */
public final class EventPayload {
    private final String type;
    private final Map<String, Object> fields;

    public EventPayload(String type, Map<String, Object> fields) {
        this.type = type;
        this.fields = fields == null ? Map.of() : fields;
    }

    public static EventPayload of(EventEnvelope event) {
        return new EventPayload(event.type(), event.payload());
    }

    public String type() {
        return type;
    }

    /** The first of the keys that holds a non-blank value, as text. */
    public Optional<String> text(String... keys) {
        for (String key : keys) {
            Object v = fields.get(key);
            if (v != null && !(v instanceof Map) && !(v instanceof Collection) && !v.toString().isBlank()) {
                return Optional.of(v.toString().trim());
            }
        }
        return Optional.empty();
    }

    public Optional<UUID> uuid(String... keys) throws PermanentFailureException {
        Optional<String> text = text(keys);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(text.get()));
        } catch (IllegalArgumentException e) {
            throw new PermanentFailureException(type + " payload field " + keys[0] + " is not a UUID: " + abbreviate(text.get()));
        }
    }

    public UUID requireUuid(String... keys) throws PermanentFailureException {
        return uuid(keys).orElseThrow(() -> missing(keys));
    }

    public Optional<BigDecimal> decimal(String... keys) throws PermanentFailureException {
        Optional<String> text = text(keys);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(text.get()));
        } catch (NumberFormatException e) {
            throw new PermanentFailureException(type + " payload field " + keys[0] + " is not a number: " + abbreviate(text.get()));
        }
    }

    public Optional<Boolean> bool(String key) {
        Object v = fields.get(key);
        if (v instanceof Boolean b) {
            return Optional.of(b);
        }
        return v == null ? Optional.empty() : Optional.of(Boolean.parseBoolean(v.toString()));
    }

    /** The first of the keys that holds a list; its map elements as payloads, other elements skipped. */
    public List<EventPayload> objects(String... keys) {
        for (String key : keys) {
            if (fields.get(key) instanceof List<?> list) {
                List<EventPayload> out = new ArrayList<>();
                for (Object item : list) {
                    if (item instanceof Map<?, ?> map) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = (Map<String, Object>) map;
                        out.add(new EventPayload(type, m));
                    }
                }
                return out;
            }
        }
        return List.of();
    }

    /** The first of the keys that holds a list; its elements as text (maps skipped). */
    public Optional<List<String>> texts(String... keys) {
        for (String key : keys) {
            if (fields.get(key) instanceof List<?> list) {
                return Optional.of(list.stream().filter(v -> v != null && !(v instanceof Map)).map(Object::toString).toList());
            }
        }
        return Optional.empty();
    }

    public boolean has(String key) {
        return fields.containsKey(key);
    }

    public PermanentFailureException missing(String... keys) {
        return new PermanentFailureException(type + " payload has no " + String.join(" / ", keys)
                + "; present fields: " + fields.keySet());
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
