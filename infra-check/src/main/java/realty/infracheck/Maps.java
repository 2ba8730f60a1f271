package realty.infracheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Navigation in the untyped trees that hcl4j and SnakeYAML produce. */
public final class Maps {
    private Maps() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        return Map.of();
    }

    public static Map<String, Object> map(Map<String, Object> root, String... path) {
        return map(get(root, path));
    }

    public static Object get(Map<String, Object> root, String... path) {
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
    public static List<Map<String, Object>> blocks(Object value) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> out.add(map(item)));
        } else if (value instanceof Map<?, ?>) {
            out.add(map(value));
        }
        return out;
    }

    public static List<Object> list(Object value) {
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        return value == null ? List.of() : List.of(value);
    }

    /** Visits every (key, value) pair anywhere in the tree, inside CloudFormation intrinsics too. */
    public static void walk(Object node, BiConsumer<String, Object> visitor) {
        if (node instanceof Sam.Intrinsic intrinsic) {
            walk(intrinsic.value(), visitor);
        } else if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                visitor.accept(String.valueOf(k), v);
                walk(v, visitor);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> walk(item, visitor));
        }
    }
}
