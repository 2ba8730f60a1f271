package realty.api.event;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import realty.core.event.AggregateRef;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An event and its delivery state. {@code status}: PENDING (in the outbox), PUBLISHED, PROCESSED
 * (every expected consumer processed it), RETRYING, DEAD.
 */
@Serdeable
public record EventStatusView(UUID id, String type, String status, @Nullable UUID companyId, AggregateRef aggregate,
                              @Nullable String correlationId, Instant occurredAt, @Nullable Instant publishedAt,
                              List<ConsumerView> consumers) {

    /** The outbox row of an event, before its consumers are looked up. */
    record Head(UUID id, String type, @Nullable UUID companyId, AggregateRef aggregate, @Nullable String correlationId,
                Instant occurredAt, String outboxStatus, @Nullable Instant publishedAt) {
    }

    /**
     * @param durationMs time the consumer's handler took on its latest attempt (processing time)
     */
    @Serdeable
    public record ConsumerView(String consumer, String status, int attempts, @Nullable Instant processedAt,
                               @Nullable String lastError, @Nullable Double durationMs) {
    }
}
