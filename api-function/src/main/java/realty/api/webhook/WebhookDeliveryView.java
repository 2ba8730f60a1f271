package realty.api.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/** What became of one event at one subscriber. */
@Serdeable
public record WebhookDeliveryView(UUID eventId, String eventType, String status, int attempts,
                                  @Nullable Integer lastResponseCode, @Nullable String lastError,
                                  Instant firstAttemptAt, Instant lastAttemptAt, @Nullable Instant deliveredAt) {
}
