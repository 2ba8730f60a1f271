package realty.core.commission;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The commission split of spec/domain.md §4, as a pure function: the same code prices a single sale
 * in the API and a bulk of sales in commission-function. Money is {@link BigDecimal} with 2 places,
 * rounded HALF_EVEN; never floating point.
 */
public final class CommissionSplitCalculator {
    /** A commission above this share of the price means the rule is misconfigured. */
    public static final BigDecimal MAX_PERCENT_OF_PRICE = new BigDecimal("50");
    public static final BigDecimal HUNDRED = new BigDecimal("100");
    private static final int MONEY_SCALE = 2;

    private CommissionSplitCalculator() {
    }

    /**
     * Step 1: the agent's rule for this sale: active, for sales, valid on the sale date, with the
     * price inside its range; the newest {@code valid_from} wins (ties: the higher version, then id,
     * so the choice never depends on row order).
     */
    public static Optional<CommissionRule> applicableRule(Collection<CommissionRule> rules, UUID agentId, BigDecimal price,
                                                          LocalDate saleDate) {
        return rules.stream()
                .filter(r -> r.agentId().equals(agentId) && r.appliesToSale(price, saleDate))
                .max(Comparator.comparing(CommissionRule::validFrom)
                        .thenComparingInt(CommissionRule::version)
                        .thenComparing(CommissionRule::id));
    }

    /**
     * Steps 2–5: the total and its parts.
     *
     * @param prospectorId           the property's prospector, or null
     * @param prospectorSharePercent the company setting (0–100)
     * @throws CommissionAboveLimitException when the total exceeds half of the price
     */
    public static CommissionSplit split(BigDecimal price, CommissionRule rule, UUID agentId, @Nullable UUID prospectorId,
                                        BigDecimal prospectorSharePercent) {
        BigDecimal base = money(price);
        BigDecimal total = switch (rule.structure()) {
            case PERCENTAGE -> percentOf(base, rule.percentage());
            case FIXED -> money(rule.fixedAmount());
        };
        if (total.compareTo(percentOf(base, MAX_PERCENT_OF_PRICE)) > 0) {
            throw new CommissionAboveLimitException(rule.id(), total, base);
        }
        if (prospectorId == null || prospectorId.equals(agentId)) {
            return new CommissionSplit(base, total, null, rule,
                    List.of(new CommissionSplit.Part(CommissionSplit.Role.AGENT, agentId, percent(HUNDRED), total)));
        }
        BigDecimal share = percent(prospectorSharePercent);
        BigDecimal prospectorPart = percentOf(total, share);
        // The agent gets the remainder, so the parts sum to the total whatever the rounding did.
        BigDecimal agentPart = total.subtract(prospectorPart);
        CommissionSplit.Part agent = new CommissionSplit.Part(CommissionSplit.Role.AGENT, agentId,
                percent(HUNDRED.subtract(share)), agentPart);
        if (prospectorPart.signum() == 0) {
            return new CommissionSplit(base, total, share, rule,
                    List.of(new CommissionSplit.Part(CommissionSplit.Role.AGENT, agentId, percent(HUNDRED), total)));
        }
        return new CommissionSplit(base, total, share, rule,
                List.of(agent, new CommissionSplit.Part(CommissionSplit.Role.PROSPECTOR, prospectorId, share, prospectorPart)));
    }

    /** {@code amount × percent / 100}, rounded to cents HALF_EVEN (exact until the one rounding). */
    public static BigDecimal percentOf(BigDecimal amount, BigDecimal percent) {
        return amount.multiply(percent).movePointLeft(2).setScale(MONEY_SCALE, RoundingMode.HALF_EVEN);
    }

    public static BigDecimal money(BigDecimal amount) {
        return amount.setScale(MONEY_SCALE, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal percent(BigDecimal p) {
        return p.setScale(2, RoundingMode.HALF_EVEN);
    }
}
