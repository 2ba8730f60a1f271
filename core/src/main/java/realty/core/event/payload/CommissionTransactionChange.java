package realty.core.event.payload;

import java.util.List;
import java.util.UUID;

/** What {@code commission.paid} and {@code commission.cancelled} share, for consumers that treat them alike. */
public interface CommissionTransactionChange {
    UUID transactionId();

    UUID saleId();

    UUID agentId();

    String role();

    String amount();

    List<UUID> recipientUserIds();
}
