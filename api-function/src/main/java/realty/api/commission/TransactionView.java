package realty.api.commission;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import realty.core.outbox.EventRef;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A commission transaction as the API shows it. */
@Serdeable
public record TransactionView(UUID id, UUID companyId, UUID saleId, UUID agentId, String role, UUID ruleId,
                              Map<String, Object> ruleSnapshot, BigDecimal baseAmount, BigDecimal commissionTotal,
                              BigDecimal percentageApplied, BigDecimal amount, String paymentStatus,
                              @Nullable Instant paidAt, @Nullable Instant cancelledAt, Instant calculatedAt,
                              String calculatedBy, @Nullable List<EventRef> events) {

    TransactionView withEvents(List<EventRef> refs) {
        return new TransactionView(id, companyId, saleId, agentId, role, ruleId, ruleSnapshot, baseAmount, commissionTotal,
                percentageApplied, amount, paymentStatus, paidAt, cancelledAt, calculatedAt, calculatedBy, refs);
    }
}
