package realty.api.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook subscription as the API shows it. {@code secret} is present only in the answer to its
 * creation: it is never shown again.
 *
 * @param failureCount failed delivery attempts since the last successful one
 */
@Serdeable
public record WebhookView(UUID id, UUID companyId, String url, List<String> eventTypes, @Nullable String description,
                          boolean active, int failureCount, String createdBy, Instant createdAt, @Nullable String secret) {

    WebhookView withSecret(String value) {
        return new WebhookView(id, companyId, url, eventTypes, description, active, failureCount, createdBy, createdAt, value);
    }
}
