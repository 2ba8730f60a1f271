package realty.infracheck;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import realty.core.topology.Topology;
import realty.core.topology.WorkQueue;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the code says the deployment must provide: handlers, work queues, variables, secrets. */
final class CodeContract {
    static final String API = "realty.api.ApiFunction";
    static final String OUTBOX_RELAY = "realty.api.outbox.OutboxRelayFunction";
    static final String DEPLOY_TASK = "realty.api.deploy.DeployTaskFunction";
    static final String HOUSEKEEPING = "realty.notification.HousekeepingFunction";

    /** Environment placeholders: upper-case names only; lower-case ones are property references. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

    /** application.yml or application-&lt;environment&gt;.yml. */
    private static final Pattern CONFIGURATION_FILE = Pattern.compile("application(?:-([A-Za-z0-9_-]+))?\\.ya?ml");

    /** Set by the Lambda runtime itself; a function may read them but no template may set them. */
    private static final Set<String> RUNTIME_PROVIDED = Set.of("AWS_REGION", "AWS_DEFAULT_REGION",
            "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
            "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "LAMBDA_TASK_ROOT",
            "LAMBDA_RUNTIME_DIR", "TZ", "_HANDLER", "_X_AMZN_TRACE_ID");

    private CodeContract() {
    }

    static List<WorkQueue> workQueues() {
        return Topology.standard().workQueues();
    }

    /** Consumer name → handler: audit → realty.audit.AuditFunction. */
    static String queueHandler(String function) {
        return "realty." + function + "." + Character.toUpperCase(function.charAt(0)) + function.substring(1) + "Function";
    }

    /** The handlers a deployment must contain: three from api-function, one per work queue, housekeeping. */
    static Set<String> expectedHandlers() {
        Set<String> handlers = new LinkedHashSet<>(List.of(API, OUTBOX_RELAY, DEPLOY_TASK, HOUSEKEEPING));
        workQueues().forEach(q -> handlers.add(queueHandler(q.function())));
        return handlers;
    }

    /** realty.audit.AuditFunction → audit-function; realty.api.outbox.X → api-function. */
    static String moduleOf(String handler) {
        String[] parts = handler.split("\\.");
        if (parts.length < 3 || !parts[0].equals("realty")) {
            throw new IllegalArgumentException("not a realty handler: " + handler);
        }
        return parts[1] + "-function";
    }

    static String artifactOf(String handler) {
        String module = moduleOf(handler);
        return module + "/target/" + module + "-lambda.jar";
    }

    /** A {@code ${NAME}} in a configuration file, and the property it configures. */
    record Placeholder(String variable, String property, Path file) {
        @Override
        public String toString() {
            return variable + " (" + property + " in " + Repository.ROOT.relativize(file) + ")";
        }
    }

    /** Placeholders of core's and the handler's module's application*.yml files. */
    static List<Placeholder> placeholdersReadBy(String handler) {
        List<Placeholder> found = new ArrayList<>();
        for (Path file : configurationFiles(handler)) {
            Object yaml;
            try (Reader reader = Files.newBufferedReader(file)) {
                yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            collect(yaml, "", file, found);
        }
        found.removeIf(p -> RUNTIME_PROVIDED.contains(p.variable()));
        return found;
    }

    /**
     * application.yml, and application-&lt;env&gt;.yml for each environment the handler activates
     * ({@link #environmentsOf}), as Micronaut loads them.
     */
    static List<Path> configurationFiles(String handler) {
        Set<String> environments = environmentsOf(handler);
        List<Path> files = new ArrayList<>();
        for (String module : List.of("core", moduleOf(handler))) {
            Path resources = Repository.ROOT.resolve(module).resolve("src/main/resources");
            if (!Files.isDirectory(resources)) {
                continue;
            }
            try (Stream<Path> list = Files.list(resources)) {
                list.filter(p -> {
                    Matcher m = CONFIGURATION_FILE.matcher(p.getFileName().toString());
                    return m.matches() && (m.group(1) == null || environments.contains(m.group(1)));
                }).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /**
     * The Micronaut environments a handler's context activates: its function's name
     * (realty.core.config.FunctionContexts: api, audit, notification, ...), plus the value of a
     * {@code public static final String ENVIRONMENT} the handler class declares (the deploy task's
     * {@code deploy}).
     */
    static Set<String> environmentsOf(String handler) {
        Set<String> environments = new LinkedHashSet<>();
        environments.add(moduleOf(handler).replaceFirst("-function$", ""));
        try {
            Field extra = Class.forName(handler, false, CodeContract.class.getClassLoader()).getDeclaredField("ENVIRONMENT");
            environments.add((String) extra.get(null));
        } catch (ClassNotFoundException | NoSuchFieldException e) {
            // the function's own environment only (HandlerWiringTest reports a handler that does not exist)
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read " + handler + ".ENVIRONMENT", e);
        }
        return environments;
    }

    private static void collect(Object node, String path, Path file, List<Placeholder> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collect(v, path.isEmpty() ? String.valueOf(k) : path + "." + k, file, out));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collect(list.get(i), path + "[" + i + "]", file, out);
            }
        } else if (node instanceof String text) {
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                out.add(new Placeholder(m.group(1), path, file));
            }
        }
    }

    /**
     * {@code *_SECRET_ARN} variable → the properties its secret supplies, as the code maps them
     * ({@code realty.core.config.AwsSecrets.MAPPING}): a placeholder whose property comes from a
     * secret is satisfied by that secret's ARN, never by a plain variable.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Set<String>> secretProperties() {
        try {
            Class<?> secrets = Class.forName("realty.core.config.AwsSecrets");
            Field mapping = secrets.getDeclaredField("MAPPING");
            mapping.setAccessible(true);
            Map<String, Map<String, String>> raw = (Map<String, Map<String, String>>) mapping.get(null);
            Map<String, Set<String>> out = new LinkedHashMap<>();
            raw.forEach((variable, keys) -> out.put(variable, Set.copyOf(keys.values())));
            return out;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the secret mapping realty.core.config.AwsSecrets.MAPPING is gone; "
                    + "infra-check needs to know which properties each *_SECRET_ARN supplies", e);
        }
    }
}
