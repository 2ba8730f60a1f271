package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code user.password_reset_requested} v1: someone asked for a reset link. {@code userId} is null
 * when the e-mail matched no active user (nothing is mailed then). Never the token: notification-function
 * derives it from {@code requestId} (realty.core.security.PasswordResetTokens).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PasswordResetRequested(UUID requestId,
                                     @Nullable UUID userId,
                                     Instant expiresAt) implements EventPayload {
}
