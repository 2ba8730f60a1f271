package realty.api.commission;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/** Bodies of {@code POST} and {@code PATCH /api/v1/commission-rules}. */
public final class RuleRequests {
    private RuleRequests() {
    }

    /**
     * A new rule. {@code companyId} may be left out: it is then the agent's company.
     * {@code percentage} goes with structure {@code percentage}, {@code fixedAmount} with {@code fixed}.
     */
    @Serdeable
    public record Create(@Nullable UUID companyId,
                         @NotNull UUID agentId,
                         @NotNull @Pattern(regexp = "sale|rental|both") String transactionType,
                         @NotNull @Pattern(regexp = "percentage|fixed") String structure,
                         @Nullable @DecimalMin("0") @DecimalMax("100") @Digits(integer = 3, fraction = 4) BigDecimal percentage,
                         @Nullable @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal fixedAmount,
                         @Nullable @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal minTransactionValue,
                         @Nullable @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal maxTransactionValue,
                         @NotNull LocalDate validFrom,
                         @Nullable LocalDate validUntil,
                         @Nullable Boolean active) {
    }

    /** Changes to a rule: a field left out (or null) keeps its value. */
    @Serdeable
    public record Patch(@Nullable @Pattern(regexp = "sale|rental|both") String transactionType,
                        @Nullable @Pattern(regexp = "percentage|fixed") String structure,
                        @Nullable @DecimalMin("0") @DecimalMax("100") @Digits(integer = 3, fraction = 4) BigDecimal percentage,
                        @Nullable @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal fixedAmount,
                        @Nullable @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal minTransactionValue,
                        @Nullable @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal maxTransactionValue,
                        @Nullable LocalDate validFrom,
                        @Nullable LocalDate validUntil,
                        @Nullable Boolean active) {
    }
}
