package realty.infracheck;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page the invitation and password-reset mails link to is a deploy parameter: notification-function
 * builds both links from LINK_BASE_URL, which Terraform (variable link_base_url, from each environment
 * down to the functions module) and SAM (parameter LinkBaseUrl) set for every function of its jar.
 */
class LinkBaseUrlTest {
    private static final String VARIABLE = "LINK_BASE_URL";
    private static final String NOTIFICATION = "realty.notification.NotificationFunction";

    @Test
    void bothLinksAreBuiltFromThePlaceholderInNotificationsConfigurationNotCores() {
        Set<String> properties = CodeContract.placeholdersReadBy(NOTIFICATION).stream()
                .filter(p -> p.variable().equals(VARIABLE))
                .peek(p -> assertTrue(p.file().toString().endsWith("application-notification.yml"), p.toString()))
                .map(CodeContract.Placeholder::property).collect(Collectors.toSet());
        assertEquals(Set.of("realty.invitations.link-base-url", "realty.password-reset.link-url", "realty.audit.exports.status-url"),
                properties);
    }

    @Test
    void terraformPassesTheVariableFromEachEnvironmentToTheNotificationJarsFunctions() {
        for (String env : List.of("dev", "prod", "local")) {
            Map<String, Object> module = Maps.map(Terraform.parse(Repository.infra().resolve("envs").resolve(env).resolve("main.tf")),
                    "module", "realty");
            assertTrue(module.get("link_base_url") != null, "envs/" + env + " does not set link_base_url");
        }
        for (String env : List.of("dev", "prod")) {
            assertEquals("var.link_base_url", Maps.get(Terraform.parse(Repository.infra().resolve("envs").resolve(env).resolve("main.tf")),
                    "module", "realty", "link_base_url"), "envs/" + env);
            // No default: each deployment names its own web app rather than sending links to localhost.
            assertNull(Maps.get(variables(Repository.infra().resolve("envs").resolve(env)), "link_base_url", "default"), "envs/" + env);
        }
        assertEquals("var.link_base_url", Maps.get(Terraform.parse(Repository.infra().resolve("modules/realty/main.tf")),
                "module", "functions", "link_base_url"));
        assertNull(Maps.get(variables(Repository.infra().resolve("modules/realty")), "link_base_url", "default"));
        assertTrue(Maps.map(variables(Repository.infra().resolve("modules/functions")), "link_base_url").containsKey("validation"),
                "modules/functions must validate link_base_url");

        List<Deployments.Function> notificationJar = Deployments.terraform().stream()
                .filter(f -> CodeContract.moduleOf(f.handler()).equals("notification-function")).toList();
        assertEquals(2, notificationJar.size(), "notification and housekeeping: " + notificationJar);
        notificationJar.forEach(f -> assertEquals("var.link_base_url", f.environment().get(VARIABLE), f.toString()));
    }

    @Test
    void samPassesTheParameterToTheNotificationJarsFunctions() {
        Map<String, Object> parameter = Maps.map(Sam.template(), "Parameters", "LinkBaseUrl");
        assertFalse(parameter.isEmpty(), "template.yaml has no LinkBaseUrl parameter");
        String pattern = String.valueOf(parameter.get("AllowedPattern"));
        assertTrue("https://app.example.com".matches(pattern) && !"https://app.example.com/".matches(pattern)
                && !"app.example.com".matches(pattern), "LinkBaseUrl's AllowedPattern " + pattern);
        assertTrue(String.valueOf(parameter.get("Default")).matches(pattern));

        List<Deployments.Function> notificationJar = Deployments.sam().stream()
                .filter(f -> CodeContract.moduleOf(f.handler()).equals("notification-function")).toList();
        assertEquals(2, notificationJar.size(), "notification and housekeeping: " + notificationJar);
        notificationJar.forEach(f -> assertEquals(new Sam.Intrinsic("!Ref", "LinkBaseUrl"), f.environment().get(VARIABLE), f.toString()));
    }

    private static Map<String, Object> variables(Path dir) {
        return Maps.map(Terraform.parse(dir.resolve("variables.tf")), "variable");
    }
}
