package realty.core.event.payload;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * {@code security.login_locked} v1: a login lockout began. {@code scope} is {@code account} (too
 * many failures for one username) or {@code source} (too many from one address); until
 * {@code lockedUntil} every login of that scope answers 429, a correct password included.
 */
@Serdeable
public record SecurityLoginLocked(String scope, int failures, int limit, Instant windowStart, Instant lockedUntil)
        implements EventPayload {
}
