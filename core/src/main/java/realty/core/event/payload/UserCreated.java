package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code user.created} v1: the new user as committed (never the password or its hash). A user created
 * without a password has an invitation: its id and expiry (never the link's token) tell the
 * notification function to send the invitation instead of the welcome mail; both are null otherwise.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record UserCreated(UUID userId,
                          String email,
                          @Nullable String name,
                          @Nullable String locale,
                          List<String> profiles,
                          List<UUID> companyIds,
                          @Nullable UUID invitationId,
                          @Nullable Instant invitationExpiresAt) implements EventPayload {

    /** A user created with a password (no invitation). */
    public UserCreated(UUID userId, String email, @Nullable String name, @Nullable String locale, List<String> profiles,
                       List<UUID> companyIds) {
        this(userId, email, name, locale, profiles, companyIds, null, null);
    }
}
