package realty.core.config;

import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the secrets a function is given by ARN through the AWS Parameters and Secrets Lambda
 * Extension (an HTTP endpoint on localhost:2773 inside the Lambda sandbox, authenticated by the
 * session token; https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html)
 * and maps their JSON keys to configuration properties. Nothing here is logged.
 */
final class AwsSecrets {
    /** env variable → (secret JSON key → property). */
    static final Map<String, Map<String, String>> MAPPING = Map.of(
            "DB_SECRET_ARN", Map.of("username", "datasources.default.username", "password", "datasources.default.password"),
            "BROKER_SECRET_ARN", Map.of("username", "realty.broker.username", "password", "realty.broker.password"),
            "JWT_SECRET_ARN", Map.of("key", "micronaut.security.token.jwt.signatures.secret.generator.secret"),
            "PLATFORM_ADMIN_SECRET_ARN", Map.of("username", "realty.platform-admin.username",
                    "password", "realty.platform-admin.password"),
            "SMTP_SECRET_ARN", Map.of("username", "realty.mail.username", "password", "realty.mail.password"));

    private AwsSecrets() {
    }

    static Map<String, Object> fromEnvironment(Map<String, String> env) {
        Map<String, Object> properties = new HashMap<>();
        for (var entry : MAPPING.entrySet()) {
            String arn = env.get(entry.getKey());
            if (arn == null || arn.isBlank()) {
                continue;
            }
            Map<String, Object> secret = fetch(arn, env);
            entry.getValue().forEach((key, property) -> {
                Object value = secret.get(key);
                if (value != null) {
                    properties.put(property, value.toString());
                }
            });
        }
        return properties;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fetch(String arn, Map<String, String> env) {
        String port = env.getOrDefault("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "2773");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/secretsmanager/get?secretId="
                        + URLEncoder.encode(arn, StandardCharsets.UTF_8)))
                .header("X-Aws-Parameters-Secrets-Token", env.getOrDefault("AWS_SESSION_TOKEN", ""))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("secret " + arn + " could not be read (HTTP " + response.statusCode() + ")");
            }
            JsonMapper json = JsonMapper.createDefault();
            Map<String, Object> wrapper = json.readValue(response.body(), Map.class);
            Object secretString = wrapper.get("SecretString");
            if (secretString == null) {
                throw new IllegalStateException("secret " + arn + " has no SecretString");
            }
            return json.readValue(secretString.toString(), Map.class);
        } catch (IOException e) {
            throw new IllegalStateException("secret " + arn + " could not be read: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading secret " + arn, e);
        }
    }
}
