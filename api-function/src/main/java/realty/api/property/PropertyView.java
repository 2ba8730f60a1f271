package realty.api.property;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import realty.core.outbox.EventRef;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Serdeable
public record PropertyView(UUID id, UUID companyId, String referenceCode, String title, String type, String status,
                           @Nullable BigDecimal price, @Nullable BigDecimal rentPrice, boolean forSale, boolean forRent,
                           @Nullable String address, @Nullable UUID agentId, @Nullable UUID prospectorId,
                           @Nullable UUID ownerUserId, List<UUID> assignedAgentIds, String createdBy, Instant createdAt,
                           Instant updatedAt, int version, @Nullable List<EventRef> events) {

    PropertyView withEvents(List<EventRef> refs) {
        return new PropertyView(id, companyId, referenceCode, title, type, status, price, rentPrice, forSale, forRent, address,
                agentId, prospectorId, ownerUserId, assignedAgentIds, createdBy, createdAt, updatedAt, version, refs);
    }
}
