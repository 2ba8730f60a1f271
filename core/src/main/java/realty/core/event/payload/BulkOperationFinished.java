package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/**
 * {@code bulk_operation.finished} v1: every consumer has processed or dead-lettered every event of a
 * bulk import ({@code kind: property_import}) or bulk sale ({@code sale_bulk}). {@code failedItems}
 * rows (properties, sales) had an event that a consumer dead-lettered ({@code failedDeliveries} in
 * all); {@code correlationId} finds them: {@code GET /api/v1/events?status=DEAD&correlationId=…}.
 * {@code startedBy} is the user told by mail (absent for the platform admin).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BulkOperationFinished(UUID bulkId, String kind, String correlationId, @Nullable UUID startedBy, int itemCount,
                                    int failedItems, int failedDeliveries) implements EventPayload {
}
