package realty.core.commission;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.UUID;

/**
 * How the split of one sale ended.
 *
 * @param split        null unless {@link Status#CALCULATED}
 * @param transactions the transactions written now (empty on a replay that found them written)
 * @param recipients   users to notify: the agent's and prospector's users when calculated, the
 *                     company's financial users otherwise
 * @param reason       why nothing was calculated
 */
public record SplitResult(SaleToSplit sale, Status status, @Nullable CommissionSplit split,
                          List<CommissionLedger.Written> transactions, List<UUID> recipients, @Nullable String reason) {

    public enum Status {
        CALCULATED, NO_APPLICABLE_RULE, RULE_REJECTED;

        /** As stored in {@code sales.commission_status} and sent in payloads. */
        public String code() {
            return name().toLowerCase();
        }
    }
}
