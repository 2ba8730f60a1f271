package realty.infracheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Navigation in the untyped trees that hcl4j and SnakeYAML produce. */
final class Maps {
    private Maps() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        return Map.of();
    }

    static Map<String, Object> map(Map<String, Object> root, String... path) {
        return map(get(root, path));
    }

    static Object get(Map<String, Object> root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    /** A repeated HCL block parses to a list, a single one to a map; both become a list. */
    static List<Map<String, Object>> blocks(Object value) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> out.add(map(item)));
        } else if (value instanceof Map<?, ?>) {
            out.add(map(value));
        }
        return out;
    }

    static List<Object> list(Object value) {
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        return value == null ? List.of() : List.of(value);
    }

    /** Visits every (key, value) pair anywhere in the tree. */
    static void walk(Object node, BiConsumer<String, Object> visitor) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                visitor.accept(String.valueOf(k), v);
                walk(v, visitor);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> walk(item, visitor));
        }
    }
}
