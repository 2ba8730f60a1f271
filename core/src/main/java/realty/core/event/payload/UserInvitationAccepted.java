package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/** {@code user.invitation.accepted} v1: the user set a password through the invitation and may log in. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record UserInvitationAccepted(UUID userId, UUID invitationId) implements EventPayload {
}
