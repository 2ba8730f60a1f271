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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;

/** {@code /api/v1/webhooks}: outbound webhook subscriptions (spec/api.md). */
@Controller("/api/v1/webhooks")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Webhooks", description = "Outbound webhook subscriptions: the company's events POSTed to a URL, signed with HMAC-SHA256.")
@ApiErrors.Authenticated
public class WebhookController {
    private final WebhookSubscriptionService subscriptions;

    public WebhookController(WebhookSubscriptionService subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** 201 with the signing secret, which is never shown again. */
    @Post
    @Operation(operationId = "createWebhook", summary = "Subscribe a URL",
            description = "Owner, manager. The answer carries the signing `secret`, shown this once.")
    @ApiResponse(responseCode = "201", description = "The subscription, with its secret", useReturnTypeSchema = true)
    @ApiErrors.WithBody
    public HttpResponse<WebhookView> create(Caller caller, @Body @Valid CreateWebhookRequest body) {
        return HttpResponse.created(subscriptions.create(caller, body));
    }

    @Get
    @Operation(operationId = "listWebhooks", summary = "List subscriptions",
            description = "Of the caller's companies, or one of them. Secrets are never listed.")
    @ApiErrors.Invalid
    public WebhookPages.Subscriptions list(Caller caller, @Nullable @QueryValue UUID companyId,
                                           @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        return subscriptions.list(caller, companyId, limit, cursor);
    }

    @Get("/{id}")
    @Operation(operationId = "getWebhook", summary = "Get a subscription")
    @ApiErrors.NotFound
    public WebhookView get(Caller caller, @PathVariable UUID id) {
        return subscriptions.get(caller, id);
    }

    @Get("/{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "Recent deliveries of a subscription",
            description = "Status, attempts and last response code of each, newest first.")
    @ApiErrors.Invalid
    @ApiErrors.NotFound
    public WebhookPages.Deliveries deliveries(Caller caller, @PathVariable UUID id, @Nullable @QueryValue Integer limit) {
        return subscriptions.deliveries(caller, id, limit);
    }

    @Delete("/{id}")
    @Operation(operationId = "deleteWebhook", summary = "Delete a subscription",
            description = "Owner, manager.")
    @ApiErrors.NotFound
    @Status(HttpStatus.NO_CONTENT)
    public void delete(Caller caller, @PathVariable UUID id) {
        subscriptions.delete(caller, id);
    }
}
