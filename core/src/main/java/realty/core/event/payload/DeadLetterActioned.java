package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/**
 * An operator replayed or discarded a dead letter. Not an event of the catalogue and never
 * published: the payload of the audit row the API writes for the action.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeadLetterActioned(UUID actionId,
                                 String queue,
                                 String workQueue,
                                 String messageId,
                                 @Nullable String eventType,
                                 @Nullable String failureKind,
                                 @Nullable String error) implements EventPayload {
}
