package realty.core.commission;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A commission rule (spec/domain.md §3): what an agent earns on a sale, as a percentage of the
 * price or a fixed amount, within a price range and a validity period.
 *
 * @param percentage  0–100, set when {@code structure} is {@link Structure#PERCENTAGE}
 * @param fixedAmount ≥ 0, set when {@code structure} is {@link Structure#FIXED}
 * @param maxValue    no upper bound when null
 * @param validUntil  open-ended when null; inclusive otherwise
 */
public record CommissionRule(UUID id, UUID companyId, UUID agentId, TransactionType transactionType, Structure structure,
                             @Nullable BigDecimal percentage, @Nullable BigDecimal fixedAmount,
                             BigDecimal minValue, @Nullable BigDecimal maxValue,
                             LocalDate validFrom, @Nullable LocalDate validUntil, boolean active, int version) {

    public enum TransactionType {
        SALE, RENTAL, BOTH;

        public String code() {
            return name().toLowerCase();
        }

        public static TransactionType fromCode(String code) {
            return valueOf(code.toUpperCase());
        }
    }

    public enum Structure {
        PERCENTAGE, FIXED;

        public String code() {
            return name().toLowerCase();
        }

        public static Structure fromCode(String code) {
            return valueOf(code.toUpperCase());
        }
    }

    /** Whether this rule prices a sale of {@code price} on {@code date} (domain.md §4, step 1). */
    public boolean appliesToSale(BigDecimal price, LocalDate date) {
        return active
                && transactionType != TransactionType.RENTAL
                && !date.isBefore(validFrom)
                && (validUntil == null || !date.isAfter(validUntil))
                && minValue.compareTo(price) <= 0
                && (maxValue == null || price.compareTo(maxValue) <= 0);
    }

    /** The rule as applied, stored with every transaction so that later edits of the rule change nothing. */
    public Map<String, Object> snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id.toString());
        s.put("version", version);
        s.put("agentId", agentId.toString());
        s.put("transactionType", transactionType.code());
        s.put("structure", structure.code());
        s.put("percentage", percentage == null ? null : percentage.toPlainString());
        s.put("fixedAmount", fixedAmount == null ? null : fixedAmount.toPlainString());
        s.put("minTransactionValue", minValue.toPlainString());
        s.put("maxTransactionValue", maxValue == null ? null : maxValue.toPlainString());
        s.put("validFrom", validFrom.toString());
        s.put("validUntil", validUntil == null ? null : validUntil.toString());
        return s;
    }
}
