package realty.api.agent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code agents}: a broker of one company, possibly linked to a user. */
@MappedEntity("agents")
public record Agent(@Id UUID id, UUID companyId, @Nullable UUID userId, String name, @Nullable String cpf, @Nullable String creci,
                    boolean active, Instant createdAt, Instant updatedAt) {
}
