package realty.infracheck;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Least privilege: no wildcard actions anywhere; broker access scoped to the broker. */
class IamTest {
    private static final Set<String> ACTION_KEYS = Set.of("actions", "not_actions", "Action", "NotAction");

    @Test
    void noTerraformPolicyStatementGrantsAWildcardAction() {
        List<String> actions = new ArrayList<>();
        for (Path file : Repository.terraformFiles()) {
            Maps.walk(Terraform.parse(file), (key, value) -> {
                if (ACTION_KEYS.contains(key)) {
                    Maps.list(value).forEach(a -> actions.add(a + " (" + Repository.ROOT.relativize(file) + ")"));
                }
            });
        }
        assertTrue(actions.size() >= 15, "found only " + actions + "; is the policy parsing broken?");
        List<String> wildcards = actions.stream().filter(a -> a.contains("*")).toList();
        assertTrue(wildcards.isEmpty(), "wildcard actions: " + wildcards);
    }

    @Test
    void noSamPolicyStatementGrantsAWildcardAction() {
        List<String> actions = new ArrayList<>();
        Sam.functions().forEach((id, properties) -> Maps.walk(properties.get("Policies"), (key, value) -> {
            if (ACTION_KEYS.contains(key)) {
                Maps.list(value).forEach(a -> actions.add(a + " (" + id + ")"));
            }
        }));
        assertTrue(actions.size() >= Sam.functions().size(), "found only " + actions);
        assertTrue(actions.stream().noneMatch(a -> a.contains("*")), "wildcard actions: " + actions);
    }

    @Test
    void eventSourcePermissionsAreScopedToTheBrokerAndItsSecret() {
        Terraform.Block policy = Terraform.dataSources("aws_iam_policy_document").stream()
                .filter(b -> b.name().equals("event_source")).findFirst().orElseThrow();
        for (Map<String, Object> statement : Maps.blocks(policy.body().get("statement"))) {
            List<Object> actions = Maps.list(statement.get("actions"));
            if (actions.contains("mq:DescribeBroker")) {
                assertEquals(List.of("var.broker_arn"), Maps.list(statement.get("resources")));
            }
            if (actions.contains(Deployments.GET_SECRET_VALUE)) {
                assertEquals(List.of("var.broker_secret_arn"), Maps.list(statement.get("resources")));
            }
        }
    }

    @Test
    void eachFunctionWritesOnlyToItsOwnLogGroup() {
        Terraform.Block policy = Terraform.dataSources("aws_iam_policy_document").stream()
                .filter(b -> b.name().equals("function")).findFirst().orElseThrow();
        Map<String, Object> logs = Maps.blocks(policy.body().get("statement")).stream()
                .filter(s -> Maps.list(s.get("actions")).contains("logs:PutLogEvents")).findFirst().orElseThrow();
        assertEquals(List.of("aws_cloudwatch_log_group.this.each.key.arn:*"), Maps.list(logs.get("resources")));
    }
}
