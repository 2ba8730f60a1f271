package realty.api.auth;

import io.micronaut.context.annotation.Value;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import jakarta.inject.Singleton;

/**
 * Issues the API's bearer token for an authenticated subject: what login answers, and what every
 * other way of proving who one is (accepting an invitation) answers too, so they cannot drift apart.
 */
@Singleton
public class AccessTokens {
    private final TokenGenerator tokens;
    private final int ttlSeconds;

    public AccessTokens(TokenGenerator tokens, @Value("${realty.security.token-ttl-seconds:3600}") int ttlSeconds) {
        this.tokens = tokens;
        this.ttlSeconds = ttlSeconds;
    }

    public AuthController.TokenResponse issue(Authentication authentication) {
        String token = tokens.generateToken(authentication, ttlSeconds)
                .orElseThrow(() -> new IllegalStateException("token generation is not configured"));
        return new AuthController.TokenResponse(token, "Bearer", ttlSeconds);
    }
}
