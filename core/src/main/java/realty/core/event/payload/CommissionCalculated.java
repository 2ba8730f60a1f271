package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/**
 * {@code commission.calculated} v1. {@code status} says whether transactions were created
 * ({@code calculated}: {@code ruleId}, {@code total}, {@code transactions}) or not
 * ({@code no_applicable_rule}, {@code rule_rejected}: {@code reason}); {@code recipientUserIds} are
 * the users the notifier tells.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CommissionCalculated(UUID saleId,
                                   String status,
                                   @Nullable String salePrice,
                                   @Nullable UUID agentId,
                                   @Nullable UUID prospectorId,
                                   @Nullable @JsonInclude(JsonInclude.Include.NON_NULL) UUID ruleId,
                                   @Nullable @JsonInclude(JsonInclude.Include.NON_NULL) String total,
                                   @Nullable @JsonInclude(JsonInclude.Include.NON_NULL) List<CommissionShare> transactions,
                                   @Nullable @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
                                   List<UUID> recipientUserIds) implements EventPayload {

    public static final String NO_APPLICABLE_RULE = "no_applicable_rule";
}
