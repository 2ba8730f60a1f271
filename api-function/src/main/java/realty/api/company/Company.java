package realty.api.company;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code companies}: an agency, which is also its own tenant. */
@MappedEntity("companies")
public record Company(@Id UUID id, String name, @Nullable String legalName, @Nullable String cnpj, @Nullable String creci,
                      boolean active, BigDecimal prospectorSharePercent, Instant createdAt) {
}
