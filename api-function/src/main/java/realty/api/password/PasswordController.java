package realty.api.password;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;
import realty.api.web.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import realty.api.auth.LinkRedemption;
import realty.api.auth.Throttled;
import realty.api.security.RefusalAudit;
import realty.api.user.FitsBcrypt;
import realty.api.web.RequestInfo;
import realty.core.security.Caller;

/**
 * {@code POST /api/v1/me/password} (authenticated), {@code POST /api/v1/auth/password-reset} and
 * {@code POST /api/v1/auth/password-reset/{token}} (anonymous); docs/accounts.md. Neither the
 * passwords nor the token are ever logged: they only reach {@link PasswordService}.
 */
@Tag(name = "Accounts", description = "Invitations, password change and reset.")
@Controller("/api/v1")
public class PasswordController {
    private final PasswordService passwords;
    private final RefusalAudit refusals;
    private final LinkRedemption links;

    public PasswordController(PasswordService passwords, RefusalAudit refusals, LinkRedemption links) {
        this.passwords = passwords;
        this.refusals = refusals;
        this.links = links;
    }

    @Serdeable
    public record ChangeRequest(@NotNull @Size(max = 200) String currentPassword,
                                @NotNull @Size(max = 72) @FitsBcrypt String newPassword) {
    }

    @Serdeable
    public record ResetRequest(@NotBlank @Email @Size(max = 254) String email) {
    }

    @Serdeable
    public record NewPassword(@NotNull @Size(max = 72) @FitsBcrypt String newPassword) {
    }

    @Operation(operationId = "changePassword", summary = "Change one's own password",
            description = "Needs the current password; every token issued before the change answers 401 afterwards. After 5 wrong current passwords within 15 minutes, 429 until the window passes.")
    @ApiResponse(responseCode = "204", description = "Changed")
    @ApiResponse(responseCode = "429", description = "Too many wrong current passwords for this user (audited); Retry-After gives the seconds left",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiErrors.Authenticated
    @ApiErrors.WithBody
    @Post("/me/password")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public HttpResponse<?> change(Caller caller, @Body @Valid ChangeRequest body, HttpRequest<?> request) {
        try {
            passwords.change(caller, body.currentPassword(), body.newPassword(), RequestInfo.of(request));
        } catch (Throttled e) {
            return e.answer(request, refusals);
        }
        return HttpResponse.noContent();
    }

    /** Always 202, whether the e-mail belongs to anyone or not. */
    @Operation(operationId = "requestPasswordReset", summary = "Ask for a password-reset link",
            description = "Always 202, with the same timing whether the e-mail exists or not; a link valid 30 minutes is e-mailed to an active user. Past 5 requests for one e-mail or 20 from one address within 15 minutes, 429 (the same for every e-mail) until the window passes.")
    @ApiResponse(responseCode = "202", description = "Accepted")
    @ApiResponse(responseCode = "429", description = "Too many requests for this e-mail or from this address (audited); Retry-After gives the seconds left",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiErrors.WithBody
    @Post("/auth/password-reset")
    @Secured(SecurityRule.IS_ANONYMOUS)
    public HttpResponse<?> requestReset(@Body @Valid ResetRequest body, HttpRequest<?> request) {
        try {
            passwords.requestReset(body.email(), RequestInfo.of(request));
        } catch (Throttled e) {
            return e.answer(request, refusals);
        }
        return HttpResponse.status(HttpStatus.ACCEPTED);
    }

    @Operation(operationId = "resetPassword", summary = "Set a new password with a reset link",
            description = "Single use; older tokens of the user answer 401 afterwards.")
    @ApiResponse(responseCode = "204", description = "Changed")
    @ApiErrors.WithBody
    @ApiErrors.NotFound
    @ApiResponse(responseCode = "410", description = "The link was used, superseded or has expired (audited)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/auth/password-reset/{token}")
    @Secured(SecurityRule.IS_ANONYMOUS)
    public HttpResponse<Void> reset(@PathVariable String token, @Body @Valid NewPassword body, HttpRequest<?> request) {
        links.redeem(request, () -> {
            passwords.reset(token, body.newPassword(), RequestInfo.of(request));
            return null;
        });
        return HttpResponse.noContent();
    }
}
