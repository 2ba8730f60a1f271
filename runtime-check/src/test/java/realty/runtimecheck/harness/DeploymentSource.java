package realty.runtimecheck.harness;

import realty.infracheck.Deployments;
import realty.infracheck.Maps;
import realty.infracheck.Repository;
import realty.infracheck.Sam;
import realty.infracheck.Terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the functions are declared: the Terraform module or the SAM template. Handlers, jars,
 * environment variables and granted secrets come from {@link Deployments} (infra-check's readers);
 * memory, timeout and SnapStart from the same files; tokens in the values ({@code var.db_jdbc_url},
 * {@code !Ref DbSecretArn}) are resolved against the local values the suite provides, then against the
 * defaults the files declare. A token that resolves to nothing fails the suite.
 */
public enum DeploymentSource {
    TERRAFORM, SAM;

    /** Lambda's defaults when a deployment sets no memory size or timeout. */
    private static final int DEFAULT_MEMORY_MB = 128;
    private static final int DEFAULT_TIMEOUT_SECONDS = 3;

    /** A function as this source deploys it. */
    public record Function(DeploymentSource source, String key, Deployments.Function declared, int memoryMb,
                           int timeoutSeconds, boolean snapStart) {
        public String handler() {
            return declared.handler();
        }

        public Path artifact() {
            return Repository.ROOT.resolve(declared.artifact());
        }

        @Override
        public String toString() {
            return key + " (" + declared.where() + ")";
        }
    }

    /** Thrown for a value the suite cannot give a local meaning. */
    public static final class UnresolvedToken extends IllegalStateException {
        UnresolvedToken(String message) {
            super(message);
        }
    }

    public List<Function> functions() {
        return switch (this) {
            case TERRAFORM -> Deployments.terraform().stream().map(DeploymentSource::terraformFunction).toList();
            case SAM -> Deployments.sam().stream().map(DeploymentSource::samFunction).toList();
        };
    }

    public Function function(String handler) {
        return functions().stream().filter(f -> f.handler().equals(handler)).findFirst()
                .orElseThrow(() -> new IllegalStateException(this + " declares no function with handler " + handler));
    }

    /**
     * The deployment's environment of a function, every token resolved.
     *
     * @param local values for the tokens that name infrastructure (Terraform variable or SAM parameter name → value)
     */
    public Map<String, String> environment(Function function, Map<String, String> local) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Object> declared = function.declared().environment();
        if (this == SAM) {
            // Conditions (!If over the template's Conditions, AWS::NoValue) as CloudFormation evaluates
            // them for these parameter values; the !Refs left over are resolved below.
            declared = Sam.resolvedEnvironment(Sam.functions().get(function.key()), samParameters(local));
        }
        declared.forEach((key, value) -> out.put(key, resolve(value, local, function + " " + key)));
        return out;
    }

    /** The local values of SAM parameters, checked as CloudFormation checks parameter values. */
    private static Map<String, String> samParameters(Map<String, String> local) {
        Map<String, String> parameters = new LinkedHashMap<>();
        local.forEach((token, value) -> {
            if (token.startsWith("!Ref ")) {
                String name = token.substring(5);
                if (!Maps.map(Maps.map(Sam.template(), "Parameters").get(name)).isEmpty()) {
                    samParameter(name, local, "parameter " + name);
                    parameters.put(name, value);
                }
            }
        });
        return parameters;
    }

    /** ARNs of the secrets the function's execution role may read. */
    public Set<String> grantedSecrets(Function function, Map<String, String> local) {
        Set<String> out = new LinkedHashSet<>();
        for (Object grant : function.declared().grantedSecrets()) {
            out.add(resolve(grant, local, function + " GetSecretValue resource"));
        }
        return out;
    }

    /** One value of a deployment file, as a string the platform would see. */
    public String resolve(Object value, Map<String, String> local, String where) {
        if (value == null) {
            throw new UnresolvedToken(where + ": no value");
        }
        if (value instanceof Sam.Intrinsic intrinsic) {
            if (this != SAM || !intrinsic.tag().equals("!Ref")) {
                throw new UnresolvedToken(where + ": " + intrinsic + " cannot be resolved locally");
            }
            return samParameter(String.valueOf(intrinsic.value()), local, where);
        }
        if (value instanceof Number n) {
            return number(n);
        }
        String s = String.valueOf(value);
        if (this == TERRAFORM) {
            Matcher var = Pattern.compile("^var\\.([A-Za-z0-9_]+)$").matcher(s);
            if (var.matches()) {
                return terraformVariable(var.group(1), local, where);
            }
            if (s.contains("var.") || s.contains("local.") || s.contains("each.") || s.contains("${") || s.contains("data.")
                    || s.contains("module.")) {
                throw new UnresolvedToken(where + ": the expression " + s + " cannot be resolved locally");
            }
        }
        return s;
    }

    private String terraformVariable(String name, Map<String, String> local, String where) {
        if (local.containsKey("var." + name)) {
            return local.get("var." + name);
        }
        Map<String, Object> declaration = Maps.map(Maps.map(Terraform.parse(functionsModule().resolve("variables.tf")).get("variable")).get(name));
        Object dflt = declaration.get("default");
        if (dflt == null || dflt instanceof Map<?, ?> || dflt instanceof List<?>) {
            throw new UnresolvedToken(where + ": var." + name + " has no local value and no scalar default in "
                    + Repository.ROOT.relativize(functionsModule().resolve("variables.tf")));
        }
        return dflt instanceof Number n ? number(n) : String.valueOf(dflt);
    }

    private static String samParameter(String name, Map<String, String> local, String where) {
        Map<String, Object> parameter = Maps.map(Maps.map(Sam.template(), "Parameters").get(name));
        String value;
        if (local.containsKey("!Ref " + name)) {
            value = local.get("!Ref " + name);
        } else if (parameter.containsKey("Default")) {
            Object d = parameter.get("Default");
            value = d instanceof Number n ? number(n) : String.valueOf(d);
        } else {
            throw new UnresolvedToken(where + ": !Ref " + name + " has no local value and no default");
        }
        if (parameter.isEmpty()) {
            // A !Ref of a resource the template creates (the audit archive bucket) takes the suite's local value.
            if (local.containsKey("!Ref " + name) && Maps.map(Maps.map(Sam.template(), "Resources").get(name)).containsKey("Type")) {
                return value;
            }
            throw new UnresolvedToken(where + ": !Ref " + name + " names no parameter of template.yaml");
        }
        // What CloudFormation checks before it deploys a parameter value.
        Object pattern = parameter.get("AllowedPattern");
        if (pattern != null && !Pattern.compile(String.valueOf(pattern)).matcher(value).find()) {
            throw new IllegalStateException(where + ": " + value + " does not match AllowedPattern " + pattern + " of " + name);
        }
        Object allowed = parameter.get("AllowedValues");
        if (allowed instanceof List<?> values && !values.stream().map(String::valueOf).toList().contains(value)) {
            throw new IllegalStateException(where + ": " + value + " is not among AllowedValues " + values + " of " + name);
        }
        return value;
    }

    /** A number as Terraform's tostring() or CloudFormation would write it: 2.0 → "2". */
    static String number(Number n) {
        double d = n.doubleValue();
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    // --- Terraform ---------------------------------------------------------------------------------

    private static Path functionsModule() {
        return Repository.infra().resolve("modules").resolve("functions");
    }

    private static Function terraformFunction(Deployments.Function declared) {
        Map<String, Object> entries = Maps.map(Terraform.locals(functionsModule()).get("functions"));
        String key = null;
        Map<String, Object> entry = Map.of();
        for (var e : entries.entrySet()) {
            if (declared.handler().equals(String.valueOf(Maps.map(e.getValue()).get("handler")))) {
                key = e.getKey();
                entry = Maps.map(e.getValue());
            }
        }
        if (key == null) {
            throw new IllegalStateException("no entry of local.functions in infra/modules/functions has handler " + declared.handler());
        }
        int memory = terraformNumber(key, "memory_mb", DEFAULT_MEMORY_MB);
        int timeout = terraformNumber(key, "timeout_seconds", DEFAULT_TIMEOUT_SECONDS);
        boolean snapStart = Boolean.parseBoolean(String.valueOf(entry.get("snap_start")));
        return new Function(TERRAFORM, key, declared, memory, timeout, snapStart);
    }

    /**
     * memory_mb / timeout_seconds of one entry. hcl4j drops lookup()'s default while parsing, so the
     * entry's text is read: {@code lookup(var.memory_mb, "api", 512)} gives the module variable's value
     * for the key when its default map has one, else 512; a literal number gives itself.
     */
    private static int terraformNumber(String key, String attribute, int lambdaDefault) {
        String text;
        try {
            text = Files.readString(functionsModule().resolve("main.tf"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher block = Pattern.compile("(?ms)^[ ]{4}" + Pattern.quote(key) + "[ ]*=[ ]*\\{(.*?)^[ ]{4}\\}").matcher(text);
        if (!block.find()) {
            throw new IllegalStateException("no entry " + key + " in local.functions of infra/modules/functions/main.tf");
        }
        String body = block.group(1);
        Matcher lookup = Pattern.compile(attribute + "\\s*=\\s*lookup\\(var\\.(\\w+),\\s*\"" + Pattern.quote(key) + "\",\\s*(\\d+)\\)").matcher(body);
        if (lookup.find()) {
            Map<String, Object> declaration = Maps.map(Maps.map(Terraform.parse(functionsModule().resolve("variables.tf")).get("variable"))
                    .get(lookup.group(1)));
            Object fromDefault = Maps.map(declaration.get("default")).get(key);
            return fromDefault instanceof Number n ? n.intValue() : Integer.parseInt(lookup.group(2));
        }
        Matcher literal = Pattern.compile(attribute + "\\s*=\\s*(\\d+)").matcher(body);
        if (literal.find()) {
            return Integer.parseInt(literal.group(1));
        }
        if (!body.contains(attribute)) {
            return lambdaDefault;
        }
        throw new IllegalStateException("cannot read " + attribute + " of " + key + " in infra/modules/functions/main.tf");
    }

    // --- SAM ---------------------------------------------------------------------------------------

    private static Function samFunction(Deployments.Function declared) {
        String id = null;
        Map<String, Object> properties = Map.of();
        for (var e : Sam.functions().entrySet()) {
            if (declared.handler().equals(String.valueOf(e.getValue().get("Handler")))) {
                id = e.getKey();
                properties = e.getValue();
            }
        }
        if (id == null) {
            throw new IllegalStateException("template.yaml has no function with handler " + declared.handler());
        }
        Map<String, Object> globals = Maps.map(Sam.template(), "Globals", "Function");
        int memory = samNumber(properties, globals, "MemorySize", DEFAULT_MEMORY_MB);
        int timeout = samNumber(properties, globals, "Timeout", DEFAULT_TIMEOUT_SECONDS);
        Object snap = properties.containsKey("SnapStart") ? properties.get("SnapStart") : globals.get("SnapStart");
        boolean snapStart = "PublishedVersions".equals(String.valueOf(Maps.map(snap).get("ApplyOn")));
        return new Function(SAM, id, declared, memory, timeout, snapStart);
    }

    private static int samNumber(Map<String, Object> properties, Map<String, Object> globals, String name, int lambdaDefault) {
        Object v = properties.containsKey(name) ? properties.get(name) : globals.get(name);
        if (v == null) {
            return lambdaDefault;
        }
        if (v instanceof Number n) {
            return n.intValue();
        }
        return Integer.parseInt(String.valueOf(v));
    }

    // --- how the functions are invoked -----------------------------------------------------------

    /** The route key API Gateway puts in the events: Terraform's route, or SAM's HttpApi event. */
    public String apiRouteKey(Function api) {
        if (this == TERRAFORM) {
            List<Terraform.Block> routes = Terraform.resources("aws_apigatewayv2_route");
            if (routes.size() != 1) {
                throw new IllegalStateException("expected one aws_apigatewayv2_route, found " + routes);
            }
            return String.valueOf(routes.get(0).body().get("route_key"));
        }
        for (Object event : Maps.map(Sam.functions().get(api.key()).get("Events")).values()) {
            Map<String, Object> e = Maps.map(event);
            if ("HttpApi".equals(e.get("Type"))) {
                Map<String, Object> p = Maps.map(e.get("Properties"));
                // Without Path and Method SAM creates the $default route (implicit_http_api_plugin.py).
                return p.get("Path") == null && p.get("Method") == null ? "$default"
                        : (p.get("Method") == null ? "ANY" : String.valueOf(p.get("Method")).toUpperCase(java.util.Locale.ROOT))
                        + " " + p.get("Path");
            }
        }
        throw new IllegalStateException(api + " has no HttpApi event");
    }

    /** The payload the schedule delivers to the relay. */
    public String relayScheduleInput(Function relay) {
        if (this == TERRAFORM) {
            // the relay's schedule among the module's (housekeeping has one too)
            List<Terraform.Block> schedules = Terraform.resources("aws_scheduler_schedule").stream()
                    .filter(b -> "relay".equals(b.name())).toList();
            if (schedules.size() != 1) {
                throw new IllegalStateException("expected one aws_scheduler_schedule.relay, found " + schedules);
            }
            return String.valueOf(Maps.map(schedules.get(0).body().get("target")).get("input"));
        }
        for (Object event : Maps.map(Sam.functions().get(relay.key()).get("Events")).values()) {
            Map<String, Object> e = Maps.map(event);
            if (String.valueOf(e.get("Type")).startsWith("Schedule")) {
                return String.valueOf(Maps.map(e.get("Properties")).get("Input"));
            }
        }
        throw new IllegalStateException(relay + " has no schedule event");
    }

    /** Work queue → key of the function its event source invokes (Terraform's mappings, SAM's MQ events). */
    public Map<String, String> workQueues() {
        Map<String, String> out = new LinkedHashMap<>();
        if (this == TERRAFORM) {
            Maps.map(Terraform.locals(Repository.infra().resolve("modules").resolve("event_sources")).get("queue_consumers"))
                    .forEach((queue, key) -> out.put(queue, String.valueOf(key)));
            return out;
        }
        Sam.functions().forEach((id, properties) -> {
            for (Object event : Maps.map(properties.get("Events")).values()) {
                Map<String, Object> e = Maps.map(event);
                if ("MQ".equals(e.get("Type"))) {
                    for (Object queue : Maps.list(Maps.map(e.get("Properties")).get("Queues"))) {
                        out.put(String.valueOf(queue), id);
                    }
                }
            }
        });
        return out;
    }

    /** The deploy task's payload: Terraform's aws_lambda_invocation input; SAM has none, docs/deploy.md invokes with {}. */
    public String deployTaskInput(Map<String, String> local) {
        if (this == TERRAFORM) {
            List<Terraform.Block> invocations = Terraform.resources("aws_lambda_invocation");
            if (invocations.size() != 1) {
                throw new IllegalStateException("expected one aws_lambda_invocation, found " + invocations);
            }
            return resolve(invocations.get(0).body().get("input"), local, "aws_lambda_invocation.input");
        }
        return "{}";
    }
}
