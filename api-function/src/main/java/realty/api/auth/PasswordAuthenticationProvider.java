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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Checks a username and password: the platform admin's against configuration
 * ({@link PlatformAdminSettings}), everyone else's against the bcrypt hash in {@code users}. The
 * authenticated name is the token's subject: {@link Caller#PLATFORM_ADMIN_SUBJECT} or the user's id.
 * Runs inline on the request thread (not an {@code ExecutorAuthenticationProvider}): the API
 * handles each request on its own blocking thread already.
 */
@Singleton
public class PasswordAuthenticationProvider<B> implements HttpRequestAuthenticationProvider<B> {
    private final UserCredentialsRepository users;
    private final PasswordHasher hasher;
    private final PlatformAdminSettings admin;

    public PasswordAuthenticationProvider(UserCredentialsRepository users, PasswordHasher hasher, PlatformAdminSettings admin) {
        this.users = users;
        this.hasher = hasher;
        this.admin = admin;
    }

    @Override
    public @NonNull AuthenticationResponse authenticate(@Nullable HttpRequest<B> request,
                                                        @NonNull AuthenticationRequest<String, String> credentials) {
        String username = credentials.getIdentity();
        String password = credentials.getSecret();
        if (username == null || password == null) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        if (admin.configured() && constantTimeEquals(admin.getUsername(), username)) {
            return constantTimeEquals(admin.getPassword(), password)
                    ? AuthenticationResponse.success(Caller.PLATFORM_ADMIN_SUBJECT)
                    : AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        Optional<UserCredentials> user = users.findByEmail(username);
        // Verify even when the user is unknown, so response time does not reveal which e-mails exist.
        if (!hasher.matches(password, user.map(UserCredentials::passwordHash).orElse(null))) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        return user.get().active() ? AuthenticationResponse.success(user.get().id().toString())
                : AuthenticationResponse.failure(AuthenticationFailureReason.USER_DISABLED);
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
