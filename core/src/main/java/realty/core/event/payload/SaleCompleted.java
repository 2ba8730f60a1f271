package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/**
 * {@code sale.completed} v1. {@code commission} is the split when it was computed with the sale,
 * else {@code {"status": "pending"}} (bulk sales are split by the commission function).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SaleCompleted(UUID saleId,
                            UUID propertyId,
                            String salePrice,
                            String saleDate,
                            UUID agentId,
                            @Nullable UUID prospectorId,
                            Commission commission) implements EventPayload {

    /** The split's outcome: {@code status} always; the amounts when calculated, else the {@code reason}. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Commission(String status,
                             @Nullable UUID ruleId,
                             @Nullable String baseAmount,
                             @Nullable String total,
                             @Nullable String prospectorSharePercent,
                             @Nullable List<CommissionShare> transactions,
                             @Nullable String reason) {

        public static Commission pending() {
            return new Commission("pending", null, null, null, null, null, null);
        }
    }
}
