package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/**
 * {@code property.assignment.changed} v1: an agent was {@code added} to or {@code removed} from a
 * property; an added one has a responsibility ({@code primary}, {@code secondary}, {@code support}).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PropertyAssignmentChanged(UUID propertyId, UUID agentId, @Nullable String responsibility, String change)
        implements EventPayload {

    public static final String ADDED = "added";
    public static final String REMOVED = "removed";

    public boolean removed() {
        return REMOVED.equals(change);
    }
}
