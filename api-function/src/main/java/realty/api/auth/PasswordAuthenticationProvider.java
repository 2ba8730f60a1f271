package realty.api.auth;

import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import jakarta.inject.Singleton;
import realty.api.security.PasswordHasher;
import realty.core.security.Caller;

import java.util.Optional;
import java.util.UUID;

/**
 * Checks a username and password against the bcrypt hash in {@code users}, the platform admin's row
 * included (created by {@link PlatformAdminBootstrap}). The authenticated name is the token's subject:
 * {@link Caller#PLATFORM_ADMIN_SUBJECT} for the platform admin, otherwise the user's id.
 * Runs inline on the request thread (not an {@code ExecutorAuthenticationProvider}): the API
 * handles each request on its own blocking thread already.
 */
@Singleton
public class PasswordAuthenticationProvider<B> implements HttpRequestAuthenticationProvider<B> {
    /**
     * Request attribute: why a login failed and whose it was ({@link Refusal}), for the throttle's audit in
     * {@link AuthController}, so that a failed login reads its user once.
     */
    public static final String REFUSAL = "realty.login-refusal";

    /** @param userId null when no account has this username */
    public record Refusal(String reason, @Nullable UUID userId) {
    }

    private final UserCredentialsRepository users;
    private final PasswordHasher hasher;

    public PasswordAuthenticationProvider(UserCredentialsRepository users, PasswordHasher hasher) {
        this.users = users;
        this.hasher = hasher;
    }

    @Override
    public @NonNull AuthenticationResponse authenticate(@Nullable HttpRequest<B> request,
                                                        @NonNull AuthenticationRequest<String, String> credentials) {
        String username = credentials.getIdentity();
        String password = credentials.getSecret();
        if (username == null || password == null) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        Optional<UserCredentials> user = users.findByEmail(username);
        // Verify even when the user is unknown, so response time does not reveal which e-mails exist.
        if (!hasher.matches(password, user.map(UserCredentials::passwordHash).orElse(null))) {
            refuse(request, user);
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        if (!user.get().active()) {
            refuse(request, user);
            return AuthenticationResponse.failure(AuthenticationFailureReason.USER_DISABLED);
        }
        return AuthenticationResponse.success(user.get().platformAdmin() ? Caller.PLATFORM_ADMIN_SUBJECT : user.get().id().toString());
    }

    /** The reason stays on the server (the audit): every refusal answers the same 401. */
    private static void refuse(@Nullable HttpRequest<?> request, Optional<UserCredentials> user) {
        if (request == null) {
            return;
        }
        String reason = user.isEmpty() ? "unknown account" : !user.get().active() ? "deactivated"
                : user.get().passwordHash() == null ? "invitation not accepted" : "wrong password";
        request.setAttribute(REFUSAL, new Refusal(reason, user.map(UserCredentials::id).orElse(null)));
    }
}
