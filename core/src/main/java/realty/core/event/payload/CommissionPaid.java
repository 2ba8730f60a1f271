package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/** {@code commission.paid} v1: one commission transaction's payment status changed; {@code recipientUserIds} are told. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CommissionPaid(UUID transactionId,
                            UUID saleId,
                            UUID agentId,
                            String role,
                            String amount,
                            String paymentStatus,
                            List<UUID> recipientUserIds) implements EventPayload, CommissionTransactionChange {
}
