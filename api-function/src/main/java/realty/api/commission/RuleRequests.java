package realty.api.commission;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
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
    @Schema(example = """
            {"agentId": "7d4c2a8e-0b7e-4d1e-9a53-2f1f0b6c9e11", "transactionType": "sale", "structure": "percentage",
             "percentage": 6.0, "minTransactionValue": 100000.00, "maxTransactionValue": 2000000.00,
             "validFrom": "2026-01-01", "validUntil": "2026-12-31"}""")
    public record Create(@Schema(description = RuleFields.COMPANY_ID) @Nullable UUID companyId,
                         @Schema(description = RuleFields.AGENT_ID) @NotNull UUID agentId,
                         @Schema(description = RuleFields.TRANSACTION_TYPE, allowableValues = {"sale", "rental", "both"})
                         @NotNull @Pattern(regexp = "sale|rental|both") String transactionType,
                         @Schema(description = RuleFields.STRUCTURE, allowableValues = {"percentage", "fixed"})
                         @NotNull @Pattern(regexp = "percentage|fixed") String structure,
                         @Schema(description = RuleFields.PERCENTAGE, example = "6.0")
                         @Nullable @DecimalMin("0") @DecimalMax("100") @Digits(integer = 3, fraction = 4) BigDecimal percentage,
                         @Schema(description = RuleFields.FIXED_AMOUNT, example = "15000.00")
                         @Nullable @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal fixedAmount,
                         @Schema(description = RuleFields.MIN_VALUE + " Default 0.", example = "100000.00")
                         @Nullable @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal minTransactionValue,
                         @Schema(description = RuleFields.MAX_VALUE, example = "2000000.00")
                         @Nullable @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal maxTransactionValue,
                         @Schema(description = RuleFields.VALID_FROM) @NotNull LocalDate validFrom,
                         @Schema(description = RuleFields.VALID_UNTIL) @Nullable LocalDate validUntil,
                         @Schema(description = "Default true.") @Nullable Boolean active) {
    }

    /** Changes to a rule: a field left out (or null) keeps its value. */
    @Serdeable
    @Schema(example = """
            {"percentage": 5.5, "validUntil": "2027-06-30"}""")
    public record Patch(@Schema(description = RuleFields.TRANSACTION_TYPE, allowableValues = {"sale", "rental", "both"})
                        @Nullable @Pattern(regexp = "sale|rental|both") String transactionType,
                        @Schema(description = RuleFields.STRUCTURE, allowableValues = {"percentage", "fixed"})
                        @Nullable @Pattern(regexp = "percentage|fixed") String structure,
                        @Schema(description = RuleFields.PERCENTAGE)
                        @Nullable @DecimalMin("0") @DecimalMax("100") @Digits(integer = 3, fraction = 4) BigDecimal percentage,
                        @Schema(description = RuleFields.FIXED_AMOUNT)
                        @Nullable @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal fixedAmount,
                        @Schema(description = RuleFields.MIN_VALUE)
                        @Nullable @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal minTransactionValue,
                        @Schema(description = RuleFields.MAX_VALUE)
                        @Nullable @DecimalMin("0") @Digits(integer = 12, fraction = 2) BigDecimal maxTransactionValue,
                        @Schema(description = RuleFields.VALID_FROM) @Nullable LocalDate validFrom,
                        @Schema(description = RuleFields.VALID_UNTIL) @Nullable LocalDate validUntil,
                        @Nullable Boolean active) {
    }

    /** What each field of a rule means, for the OpenAPI document (domain.md §3; CommissionRule.applies). */
    static final class RuleFields {
        static final String COMPANY_ID = "The rule's company; left out, the agent's company.";
        static final String AGENT_ID = "The agent the rule pays.";
        static final String TRANSACTION_TYPE = "Which transactions it prices: `sale`, `rental` or `both` (sales use `sale` and `both`).";
        static final String STRUCTURE = "`percentage`: the commission is `percentage` % of the sale price; "
                + "`fixed`: it is `fixedAmount`, whatever the price. Exactly one of the two fields goes with it.";
        static final String PERCENTAGE = "Percent of the sale price (0–100, up to 4 decimals); only with structure `percentage`.";
        static final String FIXED_AMOUNT = "Amount in BRL (≥ 0, 2 decimals); only with structure `fixed`.";
        static final String MIN_VALUE = "The rule applies to sale prices from this value (inclusive), in BRL.";
        static final String MAX_VALUE = "…up to this value (inclusive); no upper bound when null. Not below `minTransactionValue`.";
        static final String VALID_FROM = "First sale date the rule applies to (inclusive).";
        static final String VALID_UNTIL = "Last sale date it applies to (inclusive); open-ended when null. Not before `validFrom`.";

        private RuleFields() {
        }
    }
}
