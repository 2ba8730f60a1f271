package realty.core.commission;

import java.math.BigDecimal;
import java.util.UUID;

/** A rule that would pay more than half of the sale price is misconfigured (domain.md §4, step 5). */
public class CommissionAboveLimitException extends RuntimeException {
    private final UUID ruleId;

    public CommissionAboveLimitException(UUID ruleId, BigDecimal total, BigDecimal price) {
        super("commission rule " + ruleId + " gives " + total.toPlainString() + " on a price of " + price.toPlainString()
                + ", above " + CommissionSplitCalculator.MAX_PERCENT_OF_PRICE + " % of the price: the rule is misconfigured",
                null, false, false);
        this.ruleId = ruleId;
    }

    public UUID ruleId() {
        return ruleId;
    }
}
