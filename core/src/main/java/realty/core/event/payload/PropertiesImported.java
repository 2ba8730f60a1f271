package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/**
 * {@code properties.imported} v1: a bulk import committed {@code count} properties with ids from
 * {@code firstId} to {@code lastId}; {@code importedBy} is the actor id of the importing user.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PropertiesImported(Integer count, UUID firstId, UUID lastId, String importedBy) implements EventPayload {
}
