package realty.infracheck;

import com.bertramlabs.plugins.hcl4j.HCLParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Terraform files parsed with hcl4j. hcl4j evaluates expressions while parsing; every input
 * variable of a module is bound to a token ({@code var.NAME}) so that references stay visible
 * after evaluation: {@code DB_SECRET_ARN = var.db_secret_arn} parses to {@code "var.db_secret_arn"}.
 * References to resources stay as dotted text ({@code each.value.handler}).
 */
public final class Terraform {
    private static final Pattern VARIABLE = Pattern.compile("(?m)^variable\\s+\"([^\"]+)\"\\s*\\{");
    private static final Pattern TYPE = Pattern.compile("(?m)^\\s+type\\s*=\\s*(\\w+)");
    private static final Map<Path, Map<String, Object>> CACHE = new ConcurrentHashMap<>();

    private Terraform() {
    }

    /** One parsed file: its top-level blocks ({@code resource}, {@code locals}, {@code variable}, ...). */
    public static Map<String, Object> parse(Path file) {
        return CACHE.computeIfAbsent(file.toAbsolutePath().normalize(), Terraform::parseUncached);
    }

    /** A resource or data source found in some file. */
    public record Block(Path file, String kind, String type, String name, Map<String, Object> body) {
        @Override
        public String toString() {
            return kind + " " + type + "." + name + " in " + Repository.ROOT.relativize(file);
        }
    }

    /** Every {@code resource "<type>"} in every file under infra/. */
    public static List<Block> resources(String type) {
        return blocks("resource", type);
    }

    /** Every {@code data "<type>"} in every file under infra/. */
    public static List<Block> dataSources(String type) {
        return blocks("data", type);
    }

    /** The {@code locals} of one module directory (all its files). */
    public static Map<String, Object> locals(Path moduleDir) {
        Map<String, Object> locals = new LinkedHashMap<>();
        for (Path file : filesOf(moduleDir)) {
            Object l = parse(file).get("locals");
            if (l instanceof Map<?, ?> m) {
                m.forEach((k, v) -> locals.put(String.valueOf(k), v));
            }
        }
        return locals;
    }

    public static List<Path> filesOf(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".tf")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Block> blocks(String kind, String type) {
        List<Block> found = new ArrayList<>();
        for (Path file : Repository.terraformFiles()) {
            if (parse(file).get(kind) instanceof Map<?, ?> byType && byType.get(type) instanceof Map<?, ?> byName) {
                byName.forEach((name, body) -> found.add(new Block(file, kind, type, String.valueOf(name), Maps.map(body))));
            }
        }
        return found;
    }

    private static Map<String, Object> parseUncached(Path file) {
        HCLParser parser = new HCLParser();
        parser.registerFunction("merge", Terraform::merge);
        parser.registerFunction("tostring", args -> args.isEmpty() || args.get(0) == null ? null : String.valueOf(args.get(0)));
        parser.setVariables(variableTokens(file.getParent()));
        try {
            Map<String, Object> parsed = parser.parse(file.toFile(), "UTF-8");
            if (parsed == null) {
                throw new IllegalStateException(file + " parsed to nothing");
            }
            return Maps.map(plain(parsed));
        } catch (Exception e) {
            throw new AssertionError("Terraform file does not parse: " + Repository.ROOT.relativize(file) + ": " + e, e);
        }
    }

    /**
     * Plain Java values only: references hcl4j cannot resolve (each.value.x, resource attributes)
     * come back as symbol objects and become their dotted text.
     */
    private static Object plain(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(plain(v)));
            return out;
        }
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return String.valueOf(value);
    }

    /** Terraform's merge(): later maps win. */
    private static Object merge(List<Object> arguments) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Object argument : arguments) {
            if (argument instanceof Map<?, ?> m) {
                m.forEach((k, v) -> merged.put(String.valueOf(k), v));
            }
        }
        return merged;
    }

    /**
     * {@code var.NAME} tokens for every variable declared in the module directory. Map and object
     * variables become a map that answers any key with {@code var.NAME[key]}, so lookups and index
     * expressions keep working during evaluation.
     */
    private static Map<String, Object> variableTokens(Path moduleDir) {
        Map<String, Object> tokens = new LinkedHashMap<>();
        for (Path file : filesOf(moduleDir)) {
            String text = read(file);
            Matcher m = VARIABLE.matcher(text);
            while (m.find()) {
                String name = m.group(1);
                int end = text.indexOf("\n}", m.end());
                Matcher type = TYPE.matcher(text.substring(m.end(), end < 0 ? text.length() : end));
                String kind = type.find() ? type.group(1) : "any";
                tokens.put(name, kind.equals("map") || kind.equals("object") ? new TokenMap("var." + name) : "var." + name);
            }
        }
        return tokens;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class TokenMap extends AbstractMap<String, Object> {
        private final String name;

        TokenMap(String name) {
            this.name = name;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return Set.of();
        }

        @Override
        public Object get(Object key) {
            return name + "[" + key + "]";
        }

        @Override
        public boolean containsKey(Object key) {
            return true;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
