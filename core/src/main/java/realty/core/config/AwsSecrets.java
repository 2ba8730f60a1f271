package realty.core.config;

import io.micronaut.json.JsonMapper;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the secrets a function is given by ARN ({@code *_SECRET_ARN} variables) from AWS Secrets
 * Manager and maps their JSON keys to configuration properties. Nothing here is logged.
 *
 * <p>Why the SDK client and not the Parameters and Secrets Lambda Extension: this runs while the
 * function initialises (the handler's constructor), and the extension only answers once the INVOKE
 * phase has begun; under SnapStart the runtime also gives no {@code AWS_SESSION_TOKEN}, which the
 * extension requires, but container credentials instead
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-activate.html#snapstart-credentials).
 * The SDK's default credentials chain reads either, so the same code works on demand, during a
 * SnapStart INIT and after a restore. The region and endpoint come from the standard variables
 * ({@code AWS_REGION}, which Lambda sets; {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} for a stand-in).
 *
 * <p>With no {@code *_SECRET_ARN} set (local runs, {@code sam local} with an env-vars file) nothing is
 * fetched and the plain variables of application.yml ({@code DB_USERNAME}, ...) apply.
 */
final class AwsSecrets {
    /** env variable → (secret JSON key → property). */
    static final Map<String, Map<String, String>> MAPPING = Map.of(
            "DB_SECRET_ARN", Map.of("username", "datasources.default.username", "password", "datasources.default.password"),
            "BROKER_SECRET_ARN", Map.of("username", "realty.broker.username", "password", "realty.broker.password"),
            "JWT_SECRET_ARN", Map.of("key", "micronaut.security.token.jwt.signatures.secret.generator.secret"),
            "PLATFORM_ADMIN_SECRET_ARN", Map.of("username", "realty.platform-admin.username",
                    "password", "realty.platform-admin.password"),
            "SMTP_SECRET_ARN", Map.of("username", "realty.mail.username", "password", "realty.mail.password"),
            // also the password-reset links' key (PasswordResetTokens), with its own HMAC prefix
            "INVITATION_SECRET_ARN", Map.of("key", "realty.invitations.secret"));

    private AwsSecrets() {
    }

    static Map<String, Object> fromEnvironment(Map<String, String> env) {
        Map<String, Object> properties = new HashMap<>();
        SecretsManagerClient client = null;
        try {
            for (var entry : MAPPING.entrySet()) {
                String arn = env.get(entry.getKey());
                if (arn == null || arn.isBlank()) {
                    continue;
                }
                if (client == null) {
                    client = newClient();
                }
                Map<String, Object> secret = fetch(client, arn);
                entry.getValue().forEach((key, property) -> {
                    Object value = secret.get(key);
                    if (value != null) {
                        properties.put(property, value.toString());
                    }
                });
            }
        } finally {
            if (client != null) {
                client.close();
            }
        }
        return properties;
    }

    private static SecretsManagerClient newClient() {
        // Region, credentials and endpoint from the SDK's default chains; the JDK transport keeps the jar small.
        return SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5))
                        .build())
                .build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fetch(SecretsManagerClient client, String arn) {
        GetSecretValueResponse response;
        try {
            response = client.getSecretValue(b -> b.secretId(arn));
        } catch (RuntimeException e) {
            // The SDK's message names the error code (AccessDenied, ResourceNotFound, ...), never the value.
            throw new IllegalStateException("secret " + arn + " could not be read: " + e.getMessage(), e);
        }
        if (response.secretString() == null) {
            throw new IllegalStateException("secret " + arn + " has no SecretString");
        }
        try {
            return JsonMapper.createDefault().readValue(response.secretString(), Map.class);
        } catch (IOException e) {
            // Not the parser's message: it could quote the secret.
            throw new IllegalStateException("secret " + arn + " is not a JSON object");
        }
    }
}
