package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/**
 * {@code property.created} v1. A single create carries {@code status}, {@code agentId} and
 * {@code prospectorId} when set; a bulk import carries {@code importId}, the id of its
 * {@code properties.imported} event. Amounts are decimal strings.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PropertyCreated(UUID propertyId,
                              String referenceCode,
                              String title,
                              String type,
                              @Nullable @JsonInclude(JsonInclude.Include.NON_NULL) String status,
                              @Nullable String price,
                              @Nullable @JsonInclude(JsonInclude.Include.NON_NULL) UUID agentId,
                              @Nullable @JsonInclude(JsonInclude.Include.NON_NULL) UUID prospectorId,
                              @Nullable @JsonInclude(JsonInclude.Include.NON_NULL) UUID importId,
                              int version) implements EventPayload {
}
