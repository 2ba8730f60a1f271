package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/**
 * {@code user.anonymised} v1: a user's name and e-mail were replaced on request (LGPD art. 18) and
 * the user deactivated. Which fields were replaced, never their old or new values: this event is
 * audited, and the audit log must not keep what the anonymisation removed.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record UserAnonymised(UUID userId, List<String> fields) implements EventPayload {
}
