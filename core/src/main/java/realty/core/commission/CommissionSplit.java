package realty.core.commission;

import io.micronaut.core.annotation.Nullable;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * How one sale's commission divides between the selling agent and the prospector. The parts always
 * sum to {@code total} exactly.
 *
 * @param baseAmount             the sale price
 * @param total                  the whole commission
 * @param prospectorSharePercent the company setting in force, or null when no prospector shares
 */
public record CommissionSplit(BigDecimal baseAmount, BigDecimal total, @Nullable BigDecimal prospectorSharePercent,
                              CommissionRule rule, List<Part> parts) {

    public CommissionSplit {
        parts = List.copyOf(parts);
    }

    public enum Role {
        AGENT, PROSPECTOR;

        public String code() {
            return name().toLowerCase();
        }
    }

    /**
     * One transaction to be: who earns what.
     *
     * @param percentageApplied the role's share of the total, in percent
     */
    public record Part(Role role, UUID agentId, BigDecimal percentageApplied, BigDecimal amount) {
    }
}
