package realty.infracheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform admin's first credentials are read by the deploy task alone (PlatformAdminBootstrap runs
 * there and in the local runner, never in the API or the relay), so no other function is given their
 * secret or may read it: a leak of the API's role or environment does not reveal them.
 */
class PlatformAdminSecretTest {
    private static final String VARIABLE = "PLATFORM_ADMIN_SECRET_ARN";
    private static final Set<String> PROPERTIES = Set.of("realty.platform-admin.username", "realty.platform-admin.password");

    static Stream<Deployments.Function> functions() {
        return Stream.concat(Deployments.terraform().stream(), Deployments.sam().stream());
    }

    @Test
    void onlyTheDeployTasksConfigurationReadsTheCredentials() {
        assertEquals(PROPERTIES, CodeContract.secretProperties().get(VARIABLE));
        for (String handler : CodeContract.expectedHandlers()) {
            boolean reads = CodeContract.placeholdersReadBy(handler).stream().anyMatch(p -> PROPERTIES.contains(p.property()));
            assertEquals(handler.equals(CodeContract.DEPLOY_TASK), reads, handler + " reads realty.platform-admin.*: " + reads);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void onlyTheDeployTaskIsGivenAndGrantedThePlatformAdminSecret(Deployments.Function function) {
        boolean deploy = function.handler().equals(CodeContract.DEPLOY_TASK);
        Object arn = function.environment().get(VARIABLE);
        assertEquals(deploy, arn != null, function + (deploy ? " needs " : " must not have ") + VARIABLE);
        Object reference = function.where().startsWith("template.yaml")
                ? new Sam.Intrinsic("!Ref", "PlatformAdminSecretArn") : "var.platform_admin_secret_arn";
        assertEquals(deploy, function.grantedSecrets().contains(reference),
                function + (deploy ? " must be granted " : " must not be granted ") + reference + ": " + function.grantedSecrets());
        if (!deploy) {
            function.environment().keySet().forEach(name -> assertFalse(name.startsWith("PLATFORM_ADMIN_"),
                    function + " sets " + name + ", which only the deploy task reads"));
        }
    }

    @Test
    void bothDeploymentsHaveADeployTask() {
        assertTrue(Deployments.terraform().stream().anyMatch(f -> f.handler().equals(CodeContract.DEPLOY_TASK)));
        assertTrue(Deployments.sam().stream().anyMatch(f -> f.handler().equals(CodeContract.DEPLOY_TASK)));
    }
}
