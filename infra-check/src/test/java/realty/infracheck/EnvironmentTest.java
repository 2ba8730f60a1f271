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

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void credentialsArriveAsSecretsNotAsPlainVariables(Deployments.Function function) {
        Set<String> secretBacked = new LinkedHashSet<>();
        CodeContract.secretProperties().values().forEach(secretBacked::addAll);
        for (CodeContract.Placeholder p : CodeContract.placeholdersReadBy(function.handler())) {
            if (secretBacked.contains(p.property())) {
                assertFalse(function.environment().containsKey(p.variable()),
                        function + " sets " + p.variable() + " in plain text; its value belongs in a secret");
            }
        }
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
