package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/**
 * {@code property.updated} v1: the changed fields and the property's row version after the change,
 * which orders updates of one property (spec/events.md §4). A deletion is {@code deleted: false → true}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PropertyUpdated(UUID propertyId, Changes changes, int version) implements EventPayload {

    /** Only the changed fields are present; amounts are decimal strings with two places. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Changes(@Nullable Change<String> title,
                          @Nullable Change<String> type,
                          @Nullable Change<String> status,
                          @Nullable Change<String> price,
                          @Nullable Change<String> rentPrice,
                          @Nullable Change<Boolean> forSale,
                          @Nullable Change<Boolean> forRent,
                          @Nullable Change<String> address,
                          @Nullable Change<UUID> agentId,
                          @Nullable Change<UUID> prospectorId,
                          @Nullable Change<UUID> ownerUserId,
                          @Nullable Change<Boolean> deleted) {

        public static Changes deletion() {
            return new Changes(null, null, null, null, null, null, null, null, null, null, null, new Change<>(false, true));
        }

        public boolean isEmpty() {
            return title == null && type == null && status == null && price == null && rentPrice == null && forSale == null
                    && forRent == null && address == null && agentId == null && prospectorId == null && ownerUserId == null
                    && deleted == null;
        }
    }
}
