package realty.api.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Pages of the webhook lists (spec/api.md: {@code {"items": […], "nextCursor": …}}). */
final class WebhookPages {
    private WebhookPages() {
    }

    @Serdeable
    public record Subscriptions(List<WebhookView> items, @Nullable String nextCursor) {
    }

    @Serdeable
    public record Deliveries(List<WebhookDeliveryView> items, @Nullable String nextCursor) {
    }
}
