package realty.api.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;

/**
 * Refuses to start the API outside local and test mode without a JWT signing key of at least 256
 * bits, instead of starting with a guessable or missing key.
 */
@Context
public class SigningKeyGuard {
    public SigningKeyGuard(Environment environment,
                           @Nullable @Value("${micronaut.security.token.jwt.signatures.secret.generator.secret:}") String key) {
        boolean relaxed = environment.getActiveNames().contains("local") || environment.getActiveNames().contains(Environment.TEST);
        if (!relaxed && (key == null || key.getBytes(StandardCharsets.UTF_8).length < 32)) {
            throw new ConfigurationException("No JWT signing key configured: set JWT_SECRET_ARN (AWS) or JWT_SECRET "
                    + "to a key of at least 32 bytes. The API does not start without one outside local/test mode.");
        }
    }
}
