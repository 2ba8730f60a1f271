package realty.api.invitation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;
import realty.api.web.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import realty.api.auth.AuthController;
import realty.api.auth.LinkRedemption;
import realty.api.web.RequestInfo;
import realty.core.security.Caller;

import java.util.UUID;

/**
 * {@code POST /api/v1/auth/invitations/{token}} (anyone holding the link) and
 * {@code POST /api/v1/users/{id}/invitation} (re-send). A refused link is audited as
 * {@code security.access_denied} with the token masked in the path.
 */
@Tag(name = "Accounts", description = "Invitations, password change and reset.")
@Controller("/api/v1")
public class InvitationController {
    private final InvitationService invitations;
    private final LinkRedemption links;

    public InvitationController(InvitationService invitations, LinkRedemption links) {
        this.invitations = invitations;
        this.links = links;
    }

    @Serdeable
    public record AcceptInvitation(@NotNull @Size(max = 200) String password) {
    }

    @Operation(operationId = "acceptInvitation", summary = "Accept an invitation",
            description = "Sets the invited user's first password (password policy applies) and answers a bearer token like login. The link is single-use and valid 72 hours by default.")
    @ApiErrors.WithBody
    @ApiErrors.NotFound
    @ApiResponse(responseCode = "410", description = "The link was used, superseded or has expired (audited)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/auth/invitations/{token}")
    @Secured(SecurityRule.IS_ANONYMOUS)
    public AuthController.TokenResponse accept(@PathVariable String token, @Body @Valid AcceptInvitation body, HttpRequest<?> request) {
        return links.redeem(request, () -> invitations.accept(token, body.password(), RequestInfo.of(request)));
    }

    @Operation(operationId = "resendInvitation", summary = "Re-send an invitation",
            description = "Issues a new invitation e-mail for a user who has not set a password yet; the previous link stops working.")
    @ApiErrors.Authenticated
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    @Post("/users/{id}/invitation")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public HttpResponse<InvitationView> resend(Caller caller, @PathVariable UUID id, HttpRequest<?> request) {
        return HttpResponse.created(invitations.resend(caller, id, RequestInfo.of(request)));
    }
}
