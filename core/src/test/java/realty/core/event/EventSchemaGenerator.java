package realty.core.event;

import io.micronaut.core.annotation.Nullable;
import realty.core.event.payload.EventPayload;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * JSON Schema (draft 2020-12) of each payload record, from its components: names, types, and
 * {@code @Nullable} for optional fields. Written by hand rather than with Micronaut JSON Schema's
 * annotation processor: that would add a processor and an annotation dependency to core (and so to
 * every Lambda jar), writes into the class output instead of docs/, and knows nothing of the
 * (type, version) file naming of the catalogue; these ~100 lines run only in tests.
 */
final class EventSchemaGenerator {
    private EventSchemaGenerator() {
    }

    static String fileName(EventType type, int version) {
        return type.typeName() + ".v" + version + ".schema.json";
    }

    /** The schema document of one (type, version), pretty-printed with a trailing newline. */
    static String schema(EventType type, int version, Class<? extends EventPayload> record) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        doc.put("$id", fileName(type, version)); // relative: resolved against wherever docs/events/ is served
        doc.put("title", type.typeName() + " v" + version + " payload");
        doc.put("description", "The payload of a " + type.typeName() + " event whose envelope has \"version\": " + version
                + " (record " + record.getName() + "). See docs/events.md for the envelope.");
        doc.putAll(object(record, Map.of()));
        return pretty(doc, "") + "\n";
    }

    private static Map<String, Object> object(Class<?> record, Map<String, Type> bindings) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            boolean nullable = c.isAnnotationPresent(Nullable.class) || c.getAccessor().isAnnotationPresent(Nullable.class);
            Map<String, Object> schema = type(c.getGenericType(), bindings);
            if (nullable) {
                schema = orNull(schema);
            } else {
                required.add(c.getName());
            }
            properties.put(c.getName(), schema);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "object");
        out.put("properties", properties);
        if (!required.isEmpty()) {
            out.put("required", required);
        }
        return out;
    }

    private static Map<String, Object> type(Type type, Map<String, Type> bindings) {
        if (type instanceof TypeVariable<?> v) {
            Type bound = bindings.get(v.getName());
            return bound == null ? new LinkedHashMap<>() : type(bound, bindings);
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (Collection.class.isAssignableFrom(raw)) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("type", "array");
                out.put("items", type(p.getActualTypeArguments()[0], bindings));
                return out;
            }
            if (raw.isRecord()) {
                Map<String, Type> inner = new HashMap<>();
                TypeVariable<?>[] vars = raw.getTypeParameters();
                for (int i = 0; i < vars.length; i++) {
                    Type arg = p.getActualTypeArguments()[i];
                    inner.put(vars[i].getName(), arg instanceof TypeVariable<?> v && bindings.containsKey(v.getName())
                            ? bindings.get(v.getName()) : arg);
                }
                return object(raw, inner);
            }
            throw new IllegalArgumentException("no schema for " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return simple("string", null);
        }
        if (c == UUID.class) {
            return simple("string", "uuid");
        }
        if (c == Instant.class) {
            return simple("string", "date-time");
        }
        if (c == LocalDate.class) {
            return simple("string", "date");
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return simple("integer", null);
        }
        if (c == boolean.class || c == Boolean.class) {
            return simple("boolean", null);
        }
        if (c.isRecord()) {
            return object(c, Map.of());
        }
        throw new IllegalArgumentException("no schema for " + type + ": payload records use strings, numbers, "
                + "booleans, UUIDs, instants, dates, lists and records");
    }

    private static Map<String, Object> simple(String type, @Nullable String format) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", type);
        if (format != null) {
            out.put("format", format);
        }
        return out;
    }

    /** A nullable field: the same schema with {@code null} allowed ("type": ["string", "null"]). */
    private static Map<String, Object> orNull(Map<String, Object> schema) {
        Map<String, Object> out = new LinkedHashMap<>(schema);
        Object t = schema.get("type");
        out.put("type", t == null ? null : List.of(t, "null"));
        if (t == null) {
            out.remove("type");
        }
        return out;
    }

    private static String pretty(Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                return "{}";
            }
            StringBuilder s = new StringBuilder("{\n");
            String inner = indent + "  ";
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                s.append(inner).append(quote(e.getKey().toString())).append(": ").append(pretty(e.getValue(), inner))
                        .append(++i < map.size() ? ",\n" : "\n");
            }
            return s.append(indent).append('}').toString();
        }
        if (value instanceof List<?> list) {
            if (list.stream().allMatch(v -> v instanceof String)) {
                return "[" + String.join(", ", list.stream().map(v -> quote((String) v)).toList()) + "]";
            }
            StringBuilder s = new StringBuilder("[\n");
            String inner = indent + "  ";
            for (int i = 0; i < list.size(); i++) {
                s.append(inner).append(pretty(list.get(i), inner)).append(i + 1 < list.size() ? ",\n" : "\n");
            }
            return s.append(indent).append(']').toString();
        }
        return value instanceof String str ? quote(str) : String.valueOf(value);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
