package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/**
 * {@code commission.recalculated} v1: a user had a sale's split computed again with the rules valid
 * on its sale date. {@code previousStatus} and {@code status} are commission statuses
 * ({@code pending}, {@code calculated}, {@code no_applicable_rule}, …); the pending transactions it
 * cancelled and the ones it wrote are listed. The new split itself follows as {@code commission.calculated}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CommissionRecalculated(UUID saleId, String previousStatus, String status, List<UUID> cancelledTransactionIds,
                                     List<UUID> transactionIds, @Nullable UUID ruleId) implements EventPayload {
}
