package realty.api.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import realty.core.security.Caller;

import java.util.UUID;

/** {@code /api/v1/webhooks}: outbound webhook subscriptions (spec/api.md). */
@Controller("/api/v1/webhooks")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class WebhookController {
    private final WebhookSubscriptionService subscriptions;

    public WebhookController(WebhookSubscriptionService subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** 201 with the signing secret, which is never shown again. */
    @Post
    public HttpResponse<WebhookView> create(Caller caller, @Body @Valid CreateWebhookRequest body) {
        return HttpResponse.created(subscriptions.create(caller, body));
    }

    @Get
    public WebhookPages.Subscriptions list(Caller caller, @Nullable @QueryValue UUID companyId,
                                           @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        return subscriptions.list(caller, companyId, limit, cursor);
    }

    @Get("/{id}")
    public WebhookView get(Caller caller, @PathVariable UUID id) {
        return subscriptions.get(caller, id);
    }

    @Get("/{id}/deliveries")
    public WebhookPages.Deliveries deliveries(Caller caller, @PathVariable UUID id, @Nullable @QueryValue Integer limit) {
        return subscriptions.deliveries(caller, id, limit);
    }

    @Delete("/{id}")
    @Status(HttpStatus.NO_CONTENT)
    public void delete(Caller caller, @PathVariable UUID id) {
        subscriptions.delete(caller, id);
    }
}
