package realty.infracheck;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every variable a function reads is set for it, by Terraform and by SAM, and credentials arrive
 * only as secrets: a placeholder such as {@code ${DB_PASSWORD}} is satisfied by DB_SECRET_ARN
 * (the code maps that secret onto the same property), never by a plain variable.
 */
class EnvironmentTest {

    static Stream<Deployments.Function> functions() {
        return Stream.concat(Deployments.terraform().stream(), Deployments.sam().stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void everyVariableTheFunctionReadsIsSet(Deployments.Function function) {
        List<CodeContract.Placeholder> placeholders = CodeContract.placeholdersReadBy(function.handler());
        assertFalse(placeholders.isEmpty(), "no configuration found for " + function.handler() + " in "
                + CodeContract.configurationFiles(function.handler()));
        Set<String> fromSecrets = propertiesFromSecrets(function.environment());
        List<String> missing = new ArrayList<>();
        for (CodeContract.Placeholder p : placeholders) {
            boolean set = function.environment().get(p.variable()) != null;
            if (!set && !fromSecrets.contains(p.property())) {
                missing.add(p.toString());
            }
        }
        assertTrue(missing.isEmpty(), function + " does not set " + missing);
    }

    /**
     * A credential variable may appear only in template.yaml, and only as
     * {@code !If [Has<X>Secret, !Ref AWS::NoValue, ""]} where Has<X>Secret tests the parameter of the
     * *_SECRET_ARN that supplies the same property: with a secret ARN (any deployment) the variable
     * does not exist; without one (sam local) it is an empty slot for --env-vars.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void credentialsArriveAsSecretsNotAsPlainVariables(Deployments.Function function) {
        Map<String, Set<String>> secrets = CodeContract.secretProperties();
        for (CodeContract.Placeholder p : CodeContract.placeholdersReadBy(function.handler())) {
            String secretVariable = secrets.entrySet().stream().filter(e -> e.getValue().contains(p.property()))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            if (secretVariable == null || !function.environment().containsKey(p.variable())) {
                continue;
            }
            Object value = function.environment().get(p.variable());
            String guard = Sam.guardOf(value);
            Object secretArn = function.environment().get(secretVariable);
            assertTrue(function.where().startsWith("template.yaml") && guard != null && secretArn instanceof Sam.Intrinsic ref,
                    function + " sets " + p.variable() + " in plain text; its value belongs in the secret of " + secretVariable);
            Sam.Intrinsic parameter = (Sam.Intrinsic) secretArn;
            assertEquals(new Sam.Intrinsic("!Not", List.of(new Sam.Intrinsic("!Equals", List.of(parameter, "")))),
                    Maps.get(Sam.template(), "Conditions", guard),
                    function + ": " + p.variable() + " must exist only while " + secretVariable + " (" + parameter + ") is empty");
            assertEquals(List.of(guard, new Sam.Intrinsic("!Ref", "AWS::NoValue"), ""), ((Sam.Intrinsic) value).value(),
                    function + ": " + p.variable() + " is an empty slot for sam local --env-vars, nothing else");
        }
    }

    /** The same handler reads either: secrets by ARN when deployed, plain variables under sam local. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samFunctions")
    void samGivesEitherSecretArnsOrPlainCredentialsNeverBoth(String id) {
        Map<String, Object> function = Sam.functions().get(id);
        Map<String, String> deployed = new java.util.LinkedHashMap<>();
        Maps.map(Sam.template(), "Parameters").keySet().stream().filter(n -> n.endsWith("SecretArn"))
                .forEach(n -> deployed.put(n, "arn:aws:secretsmanager:sa-east-1:123456789012:secret:realty-dev/" + n + "-AbCdEf"));
        Map<String, Object> local = Sam.resolvedEnvironment(function, Map.of());
        Map<String, Object> aws = Sam.resolvedEnvironment(function, deployed);
        Set<String> credentials = new LinkedHashSet<>();
        String handler = String.valueOf(function.get("Handler"));
        Map<String, Set<String>> secrets = CodeContract.secretProperties();
        for (CodeContract.Placeholder p : CodeContract.placeholdersReadBy(handler)) {
            secrets.forEach((variable, properties) -> {
                if (properties.contains(p.property()) && aws.containsKey(variable)) {
                    credentials.add(p.variable());
                }
            });
        }
        assertFalse(credentials.isEmpty(), id + " reads no credential?");
        for (String c : credentials) {
            assertFalse(aws.containsKey(c), id + " deployed with secret ARNs must not have " + c);
            assertTrue(local.containsKey(c), id + " under sam local needs " + c + " declared (SAM CLI sets only declared variables)");
        }
        aws.forEach((k, v) -> {
            if (k.endsWith("_SECRET_ARN")) {
                assertTrue(String.valueOf(v).startsWith("arn:"), id + ": " + k + " = " + v);
                assertEquals("", local.get(k), id + ": " + k + " is empty under sam local");
            }
        });
    }

    static Stream<String> samFunctions() {
        return Sam.functions().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void theFunctionMayReadExactlyTheSecretsItIsGiven(Deployments.Function function) {
        Set<Object> given = new LinkedHashSet<>();
        function.environment().forEach((name, value) -> {
            if (name.endsWith("_SECRET_ARN")) {
                given.add(value);
            }
        });
        assertFalse(given.isEmpty(), function + " is given no secret");
        assertEquals(given, new LinkedHashSet<>(function.grantedSecrets()),
                function + ": GetSecretValue must cover exactly the secrets in its *_SECRET_ARN variables");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void everySecretVariableIsOneTheCodeKnows(Deployments.Function function) {
        Set<String> known = CodeContract.secretProperties().keySet();
        function.environment().keySet().stream().filter(n -> n.endsWith("_SECRET_ARN"))
                .forEach(n -> assertTrue(known.contains(n), function + " sets " + n + ", which the code never reads"));
    }

    private static Set<String> propertiesFromSecrets(Map<String, Object> environment) {
        Set<String> properties = new LinkedHashSet<>();
        CodeContract.secretProperties().forEach((variable, props) -> {
            if (environment.get(variable) != null) {
                properties.addAll(props);
            }
        });
        return properties;
    }
}
