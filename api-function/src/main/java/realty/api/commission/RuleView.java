package realty.api.commission;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A commission rule as the API shows it. */
@Serdeable
public record RuleView(UUID id, UUID companyId, UUID agentId, String transactionType, String structure,
                       @Nullable BigDecimal percentage, @Nullable BigDecimal fixedAmount, BigDecimal minTransactionValue,
                       @Nullable BigDecimal maxTransactionValue, LocalDate validFrom, @Nullable LocalDate validUntil,
                       boolean active, int version, Instant createdAt, Instant updatedAt) {
}
