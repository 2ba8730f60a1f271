package realty.infracheck;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** template.yaml, with CloudFormation short tags (!Ref, !If, !Sub, ...) kept as {@link Intrinsic}s. */
public final class Sam {
    public static final String FUNCTION = "AWS::Serverless::Function";

    /** {@code !Ref DbSecretArn} becomes {@code Intrinsic("!Ref", "DbSecretArn")}. */
    public record Intrinsic(String tag, Object value) {
        @Override
        public String toString() {
            return tag + " " + value;
        }
    }

    private static Map<String, Object> template;

    private Sam() {
    }

    public static synchronized Map<String, Object> template() {
        if (template == null) {
            try (Reader reader = Files.newBufferedReader(Repository.samTemplate())) {
                template = Maps.map(new Yaml(new CloudFormationConstructor()).load(reader));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return template;
    }

    /** Logical id => properties of every AWS::Serverless::Function. */
    public static Map<String, Map<String, Object>> functions() {
        Map<String, Map<String, Object>> functions = new LinkedHashMap<>();
        Maps.map(template(), "Resources").forEach((id, resource) -> {
            Map<String, Object> r = Maps.map(resource);
            if (FUNCTION.equals(r.get("Type"))) {
                functions.put(id, Maps.map(r.get("Properties")));
            }
        });
        return functions;
    }

    /**
     * The policy documents of a function's Policies: a document guarded by a condition
     * ({@code !If [HasDbSecret, {Statement: ...}, !Ref AWS::NoValue]}) counts as its document, since
     * it applies whenever the condition holds; AWS::NoValue branches contribute nothing.
     */
    public static List<Map<String, Object>> policyDocuments(Map<String, Object> function) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object policy : Maps.list(function.get("Policies"))) {
            collectDocuments(policy, documents);
        }
        return documents;
    }

    /** Statements of {@link #policyDocuments}. */
    public static List<Map<String, Object>> policyStatements(Map<String, Object> function) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Map<String, Object> document : policyDocuments(function)) {
            Maps.list(document.get("Statement")).forEach(s -> statements.add(Maps.map(s)));
        }
        return statements;
    }

    /** The condition of {@code !If [condition, a, b]} when a or b is AWS::NoValue (the value exists only on one side); else null. */
    public static String guardOf(Object value) {
        if (value instanceof Intrinsic i && i.tag().equals("!If") && i.value() instanceof List<?> args && args.size() == 3
                && (NO_VALUE.equals(args.get(1)) || NO_VALUE.equals(args.get(2)))) {
            return String.valueOf(args.get(0));
        }
        return null;
    }

    private static void collectDocuments(Object policy, List<Map<String, Object>> out) {
        if (policy instanceof Intrinsic i && i.tag().equals("!If") && i.value() instanceof List<?> args && args.size() == 3) {
            collectDocuments(args.get(1), out);
            collectDocuments(args.get(2), out);
        } else if (policy instanceof Map<?, ?> m && m.containsKey("Statement")) {
            out.add(Maps.map(m));
        }
    }

    /**
     * A function's environment as CloudFormation would deploy it for the given parameter values
     * (absent ones take their Default): !Ref of parameters and !If over the template's Conditions
     * (!Not, !Equals, !And, !Or, !Ref, !Condition) are resolved, and a variable whose value is
     * AWS::NoValue is left out. Anything else (!Sub, !GetAtt, ...) is kept as an {@link Intrinsic}.
     */
    public static Map<String, Object> resolvedEnvironment(Map<String, Object> function, Map<String, String> parameters) {
        Map<String, Object> out = new LinkedHashMap<>();
        environment(function).forEach((name, value) -> {
            Object resolved = resolve(value, parameters);
            if (!NO_VALUE.equals(resolved)) {
                out.put(name, resolved);
            }
        });
        return out;
    }

    private static final Object NO_VALUE = new Intrinsic("!Ref", "AWS::NoValue");

    private static Object resolve(Object value, Map<String, String> parameters) {
        if (!(value instanceof Intrinsic i)) {
            return value;
        }
        switch (i.tag()) {
            case "!Ref": {
                String name = String.valueOf(i.value());
                if (parameters.containsKey(name)) {
                    return parameters.get(name);
                }
                Object def = Maps.get(template(), "Parameters", name, "Default");
                return def != null ? String.valueOf(def) : value;
            }
            case "!If": {
                List<Object> args = Maps.list(i.value());
                return resolve(condition(String.valueOf(args.get(0)), parameters) ? args.get(1) : args.get(2), parameters);
            }
            default:
                return value;
        }
    }

    private static boolean condition(String name, Map<String, String> parameters) {
        Object c = Maps.get(template(), "Conditions", name);
        if (c == null) {
            throw new IllegalArgumentException("template.yaml declares no condition " + name);
        }
        return truth(c, parameters);
    }

    private static boolean truth(Object c, Map<String, String> parameters) {
        if (!(c instanceof Intrinsic i)) {
            return Boolean.parseBoolean(String.valueOf(c));
        }
        List<Object> args = Maps.list(i.value());
        switch (i.tag()) {
            case "!Not":
                return !truth(args.get(0), parameters);
            case "!And":
                return args.stream().allMatch(a -> truth(a, parameters));
            case "!Or":
                return args.stream().anyMatch(a -> truth(a, parameters));
            case "!Condition":
                return condition(String.valueOf(i.value()), parameters);
            case "!Equals":
                return String.valueOf(scalar(args.get(0), parameters)).equals(String.valueOf(scalar(args.get(1), parameters)));
            default:
                throw new IllegalArgumentException("condition function " + i.tag() + " is not supported here");
        }
    }

    private static Object scalar(Object v, Map<String, String> parameters) {
        if (v instanceof Intrinsic i && i.tag().equals("!Join")) {
            List<Object> args = Maps.list(i.value());
            Object joined = resolve(args.get(1), parameters);
            return String.join(String.valueOf(args.get(0)), Maps.list(joined).stream().map(String::valueOf).toList());
        }
        return resolve(v, parameters);
    }

    /** Environment of a function: Globals.Function.Environment.Variables overlaid with its own. */
    public static Map<String, Object> environment(Map<String, Object> function) {
        Map<String, Object> env = new LinkedHashMap<>(Maps.map(template(), "Globals", "Function", "Environment", "Variables"));
        env.putAll(Maps.map(function, "Environment", "Variables"));
        return env;
    }

    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            this.yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = constructScalar(scalar);
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    return new Intrinsic(node.getTag().getValue(), value);
                }
            });
        }
    }
}
