package realty.api.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Pages of the webhook lists (spec/api.md: {@code {"items": […], "nextCursor": …}}), empty lists and the last page's null cursor included. */
final class WebhookPages {
    private WebhookPages() {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Subscriptions(List<WebhookView> items, @Nullable String nextCursor) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Deliveries(List<WebhookDeliveryView> items, @Nullable String nextCursor) {
    }
}
