package realty.infracheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Lambda functions as Terraform and as SAM declare them, in one shape. */
public final class Deployments {
    public static final String GET_SECRET_VALUE = "secretsmanager:GetSecretValue";

    /**
     * @param where          file and key / logical id, for messages
     * @param handler        handler class
     * @param artifact       jar path relative to the repository root
     * @param environment    variable → value (tokens such as {@code var.db_secret_arn} or {@code !Ref DbSecretArn})
     * @param grantedSecrets what GetSecretValue is allowed on, in the same token form
     */
    public record Function(String where, String handler, String artifact, Map<String, Object> environment,
                    Set<Object> grantedSecrets) {
        @Override
        public String toString() {
            return handler + " (" + where + ")";
        }
    }

    private Deployments() {
    }

    /**
     * Functions of every aws_lambda_function resource. A resource with for_each over a map of
     * objects (the functions module) yields one function per entry; the resource body must then
     * take handler, environment and secrets from that entry.
     */
    public static List<Function> terraform() {
        List<Function> out = new ArrayList<>();
        for (Terraform.Block block : Terraform.resources("aws_lambda_function")) {
            Map<String, Object> body = block.body();
            Object forEach = body.get("for_each");
            if (forEach instanceof Map<?, ?> entries && !entries.isEmpty()) {
                Set<Object> secretsFromPolicy = policySecretsOf(block);
                Maps.map(forEach).forEach((key, value) -> {
                    Map<String, Object> entry = Maps.map(value);
                    Set<Object> granted = secretsFromPolicy.contains("each.value.secret_arns")
                            ? new LinkedHashSet<>(Maps.list(entry.get("secret_arns"))) : secretsFromPolicy;
                    out.add(new Function(block + " [" + key + "]", String.valueOf(entry.get("handler")),
                            String.valueOf(entry.get("artifact")), Maps.map(entry.get("environment")), granted));
                });
            } else {
                out.add(new Function(block.toString(), String.valueOf(body.get("handler")),
                        String.valueOf(body.get("filename")), Maps.map(body, "environment", "variables"),
                        policySecretsOf(block)));
            }
        }
        return out;
    }

    /** Resources of GetSecretValue statements of the policy documents in the function's module. */
    private static Set<Object> policySecretsOf(Terraform.Block function) {
        Set<Object> secrets = new LinkedHashSet<>();
        for (Terraform.Block doc : Terraform.dataSources("aws_iam_policy_document")) {
            if (!doc.file().getParent().equals(function.file().getParent())) {
                continue;
            }
            for (Map<String, Object> statement : Maps.blocks(doc.body().get("statement"))) {
                if (Maps.list(statement.get("actions")).contains(GET_SECRET_VALUE)) {
                    Object resources = statement.get("resources");
                    if (resources instanceof String reference) {
                        secrets.add(reference);
                    } else {
                        secrets.addAll(Maps.list(resources));
                    }
                }
            }
        }
        return secrets;
    }

    public static List<Function> sam() {
        List<Function> out = new ArrayList<>();
        Sam.functions().forEach((id, properties) -> {
            Set<Object> granted = new LinkedHashSet<>();
            for (Map<String, Object> s : Sam.policyStatements(properties)) {
                if ("Allow".equals(s.get("Effect")) && Maps.list(s.get("Action")).contains(GET_SECRET_VALUE)) {
                    granted.addAll(Maps.list(s.get("Resource")));
                }
            }
            out.add(new Function("template.yaml " + id, String.valueOf(properties.get("Handler")),
                    String.valueOf(properties.get("CodeUri")), new LinkedHashMap<>(Sam.environment(properties)), granted));
        });
        return out;
    }
}
