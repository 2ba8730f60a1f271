package realty.core.event.payload;

import io.micronaut.serde.annotation.Serdeable;

/**
 * {@code security.login_failed} v1: one refused {@code POST /api/v1/auth/login} (the caller was
 * told only "bad credentials"). {@code reason} is what the server knows: {@code unknown account},
 * {@code wrong password} or {@code deactivated}; the failures are this window's count for the
 * account and for the source address, this one included. Never the password, never the typed
 * username (the aggregate names the user, or a digest of the username when no account has it).
 */
@Serdeable
public record SecurityLoginFailed(String reason, int accountFailures, int sourceFailures, long windowSeconds)
        implements EventPayload {
}
