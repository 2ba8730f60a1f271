package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/** {@code user.updated} v1: the fields that changed, each with its value before and after. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record UserUpdated(UUID userId, Changes changes) implements EventPayload {

    /** Only the changed fields are present; an absent field did not change. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Changes(@Nullable Change<String> name,
                          @Nullable Change<String> locale,
                          @Nullable Change<List<String>> profiles,
                          @Nullable Change<List<UUID>> companyIds,
                          @Nullable Change<Boolean> active) {

        public boolean isEmpty() {
            return name == null && locale == null && profiles == null && companyIds == null && active == null;
        }
    }
}
