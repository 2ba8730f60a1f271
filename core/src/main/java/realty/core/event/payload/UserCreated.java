package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/** {@code user.created} v1: the new user as committed (never the password or its hash). */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record UserCreated(UUID userId,
                          String email,
                          @Nullable String name,
                          @Nullable String locale,
                          List<String> profiles,
                          List<UUID> companyIds) implements EventPayload {
}
