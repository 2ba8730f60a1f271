package realty.api.user;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import realty.core.outbox.EventRef;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user as the API shows it; never the password hash. */
@Serdeable
public record UserView(UUID id, String email, String name, String locale, List<String> profiles, List<UUID> companyIds,
                       boolean active, Instant createdAt, @Nullable List<EventRef> events) {

    UserView withEvents(List<EventRef> refs) {
        return new UserView(id, email, name, locale, profiles, companyIds, active, createdAt, refs);
    }
}
