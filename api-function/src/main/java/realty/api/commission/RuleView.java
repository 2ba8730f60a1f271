package realty.api.commission;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import realty.api.commission.RuleRequests.RuleFields;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A commission rule as the API shows it. */
@Serdeable
public record RuleView(UUID id, UUID companyId, UUID agentId,
                       @Schema(description = RuleFields.TRANSACTION_TYPE, allowableValues = {"sale", "rental", "both"}) String transactionType,
                       @Schema(description = RuleFields.STRUCTURE, allowableValues = {"percentage", "fixed"}) String structure,
                       @Schema(description = RuleFields.PERCENTAGE) @Nullable BigDecimal percentage,
                       @Schema(description = RuleFields.FIXED_AMOUNT) @Nullable BigDecimal fixedAmount,
                       @Schema(description = RuleFields.MIN_VALUE) BigDecimal minTransactionValue,
                       @Schema(description = RuleFields.MAX_VALUE) @Nullable BigDecimal maxTransactionValue,
                       @Schema(description = RuleFields.VALID_FROM) LocalDate validFrom,
                       @Schema(description = RuleFields.VALID_UNTIL) @Nullable LocalDate validUntil,
                       @Schema(description = "An inactive rule prices no new sale.") boolean active,
                       @Schema(description = "Goes up by one with each change.") int version,
                       Instant createdAt, Instant updatedAt) {
}
