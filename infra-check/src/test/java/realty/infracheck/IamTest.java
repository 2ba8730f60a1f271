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

    /**
     * The Amazon MQ event source polls with the function's execution role, which needs
     * mq:DescribeBroker, secretsmanager:GetSecretValue and six EC2 actions
     * (https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html#events-mq-permissions). SAM adds
     * only the first two for an MQ event (samtranslator/model/eventsources/pull.py); the template
     * must grant the EC2 ones, and Terraform all of them.
     */
    static final java.util.Set<String> MQ_EVENT_SOURCE_EC2 = java.util.Set.of("ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
            "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs");

    @Test
    void samMqConsumersMayDoWhatTheAmazonMqEventSourceNeeds() {
        Sam.functions().forEach((id, properties) -> {
            boolean mq = Maps.map(properties, "Events").values().stream().anyMatch(e -> "MQ".equals(Maps.map(e).get("Type")));
            if (!mq) {
                return;
            }
            java.util.Set<Object> granted = new java.util.HashSet<>();
            Sam.policyStatements(properties).forEach(s -> granted.addAll(Maps.list(s.get("Action"))));
            assertTrue(granted.containsAll(MQ_EVENT_SOURCE_EC2), id + " grants " + granted + ", lacks some of " + MQ_EVENT_SOURCE_EC2);
        });
    }

    @Test
    void terraformMqConsumersMayDoWhatTheAmazonMqEventSourceNeeds() {
        java.util.Set<Object> granted = new java.util.HashSet<>();
        for (Terraform.Block doc : Terraform.dataSources("aws_iam_policy_document")) {
            if (doc.name().equals("event_source") || doc.name().equals("function")) {
                Maps.blocks(doc.body().get("statement")).forEach(s -> granted.addAll(Maps.list(s.get("actions"))));
            }
        }
        java.util.Set<String> needed = new java.util.HashSet<>(MQ_EVENT_SOURCE_EC2);
        needed.add("mq:DescribeBroker");
        needed.add(Deployments.GET_SECRET_VALUE);
        assertTrue(granted.containsAll(needed), "Terraform grants " + granted + ", lacks some of " + needed);
    }

    /** "*" only for actions without resource-level permissions (EC2 Describe*). */
    @Test
    void aWildcardResourceOnlyForActionsWithoutResourceLevelPermissions() {
        java.util.List<String> wrong = new ArrayList<>();
        Sam.functions().forEach((id, properties) -> Sam.policyStatements(properties).forEach(s -> {
            if (Maps.list(s.get("Resource")).contains("*")) {
                Maps.list(s.get("Action")).stream().filter(a -> !String.valueOf(a).startsWith("ec2:Describe")).forEach(a -> wrong.add(id + ": " + a));
            }
        }));
        for (Terraform.Block doc : Terraform.dataSources("aws_iam_policy_document")) {
            for (Map<String, Object> s : Maps.blocks(doc.body().get("statement"))) {
                if (Maps.list(s.get("resources")).contains("*")) {
                    Maps.list(s.get("actions")).stream().filter(a -> !String.valueOf(a).startsWith("ec2:Describe")).forEach(a -> wrong.add(doc + ": " + a));
                }
            }
        }
        assertTrue(wrong.isEmpty(), "resource \"*\" for actions that support resource-level permissions: " + wrong);
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
