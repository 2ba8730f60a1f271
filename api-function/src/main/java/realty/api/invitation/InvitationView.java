package realty.api.invitation;

import io.micronaut.serde.annotation.Serdeable;
import realty.core.outbox.EventRef;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The answer to a re-sent invitation: which one is now valid, until when, and its event. */
@Serdeable
public record InvitationView(UUID userId, UUID invitationId, Instant expiresAt, List<EventRef> events) {
}
