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
import java.util.LinkedHashMap;
import java.util.Map;

/** template.yaml, with CloudFormation short tags (!Ref, !If, !Sub, ...) kept as {@link Intrinsic}s. */
final class Sam {
    static final String FUNCTION = "AWS::Serverless::Function";

    /** {@code !Ref DbSecretArn} becomes {@code Intrinsic("!Ref", "DbSecretArn")}. */
    record Intrinsic(String tag, Object value) {
        @Override
        public String toString() {
            return tag + " " + value;
        }
    }

    private static Map<String, Object> template;

    private Sam() {
    }

    static synchronized Map<String, Object> template() {
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
    static Map<String, Map<String, Object>> functions() {
        Map<String, Map<String, Object>> functions = new LinkedHashMap<>();
        Maps.map(template(), "Resources").forEach((id, resource) -> {
            Map<String, Object> r = Maps.map(resource);
            if (FUNCTION.equals(r.get("Type"))) {
                functions.put(id, Maps.map(r.get("Properties")));
            }
        });
        return functions;
    }

    /** Environment of a function: Globals.Function.Environment.Variables overlaid with its own. */
    static Map<String, Object> environment(Map<String, Object> function) {
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
