package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code user.invited} v1: an invitation was sent again ({@code POST /users/{id}/invitation}); the
 * first one travels in {@code user.created}. {@code supersededInvitationId} no longer works. Carries
 * the invitation's id, never the link's token.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record UserInvited(UUID userId,
                          UUID invitationId,
                          Instant expiresAt,
                          @Nullable UUID supersededInvitationId,
                          String email,
                          @Nullable String name,
                          @Nullable String locale) implements EventPayload {
}
