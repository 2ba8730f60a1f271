package realty.api.sale;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import realty.core.outbox.EventRef;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A sale as the API shows it, with its commission split ({@code commission}, left out for callers
 * who may not see commission data).
 */
@Serdeable
public record SaleView(UUID id, UUID companyId, UUID propertyId, BigDecimal salePrice, LocalDate saleDate, String buyerName,
                       @Nullable UUID buyerUserId, UUID agentId, @Nullable UUID prospectorId, String status,
                       Instant createdAt, @Nullable Instant cancelledAt, @Nullable Commission commission,
                       @Nullable List<EventRef> events) {

    /**
     * The split. {@code status}: {@code calculated}, {@code pending} (bulk, not yet computed),
     * {@code no_applicable_rule}, {@code rule_rejected}, {@code cancelled} (sale cancelled before).
     */
    @Serdeable
    public record Commission(String status, @Nullable UUID ruleId, @Nullable BigDecimal baseAmount, @Nullable BigDecimal total,
                             @Nullable BigDecimal prospectorSharePercent, @Nullable String reason,
                             List<Part> transactions) {
    }

    @Serdeable
    public record Part(UUID id, String role, UUID agentId, BigDecimal percentageApplied, BigDecimal amount,
                       String paymentStatus) {
    }

    SaleView with(@Nullable Commission c, @Nullable List<EventRef> refs) {
        return new SaleView(id, companyId, propertyId, salePrice, saleDate, buyerName, buyerUserId, agentId, prospectorId,
                status, createdAt, cancelledAt, c, refs);
    }
}
