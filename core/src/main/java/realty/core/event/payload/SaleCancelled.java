package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.UUID;

/** {@code sale.cancelled} v1: the pending commission transactions it cancelled and the paid ones that stay paid. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SaleCancelled(UUID saleId, UUID propertyId, List<UUID> cancelledTransactionIds,
                            List<UUID> paidTransactionIdsKept) implements EventPayload {
}
