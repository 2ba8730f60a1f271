package realty.api.auth;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.Authenticator;
import io.micronaut.security.authentication.UsernamePasswordCredentials;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;
import realty.api.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;
import realty.api.web.Problem;
import realty.api.web.Problems;
import realty.api.web.RequestInfo;


/**
 * {@code POST /api/v1/auth/login}: username (e-mail) and password for a bearer token. The
 * credentials go through micronaut-security's {@link Authenticator} (so to every
 * {@code AuthenticationProvider}, here {@link PasswordAuthenticationProvider}). The built-in
 * {@code /login} endpoint is switched off: its response carries other fields than the API's
 * contract (spec/api.md), and a refusal here must answer the API's problem and be audited.
 * {@link LoginThrottle} wraps the check: a throttled attempt answers 429 before any password is read.
 */
@Controller("/api/v1/auth")
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "Auth", description = "Log in for a bearer token.")
public class AuthController {
    private final Authenticator<HttpRequest<?>> authenticator;
    private final AccessTokens tokens;
    private final LoginThrottle throttle;

    public AuthController(Authenticator<HttpRequest<?>> authenticator, AccessTokens tokens, LoginThrottle throttle) {
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.throttle = throttle;
    }

    @Serdeable
    @Schema(example = """
            {"username": "owner@agency.example", "password": "a-long-password"}""")
    public record LoginRequest(@NotBlank @Size(max = 254) String username, @NotBlank @Size(max = 200) String password) {
    }

    @Serdeable
    public record TokenResponse(String access_token, String token_type, int expires_in) {
    }

    @Post("/login")
    @Operation(operationId = "login", summary = "Log in",
            description = "Username (the e-mail, any case) and password for a bearer JWT. Unknown user, wrong password and deactivated user get the same 401; each refusal is audited. After 5 failures for one account or 20 from one address within 15 minutes, 429 until the window passes.")
    @ApiResponse(responseCode = "200", description = "A bearer token", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = TokenResponse.class)))
    @ApiErrors.WithBody
    @ApiResponse(responseCode = "401", description = "Bad credentials", content = @Content(mediaType = Problem.MEDIA_TYPE,
                schema = @Schema(implementation = Problem.class), examples = @ExampleObject(value = """
                {"type": "https://realty.dev/problems/401", "title": "Unauthorized", "status": 401, "detail": "bad credentials"}""")))
    @ApiResponse(responseCode = "429", description = "Too many failed logins for the account or the source address; Retry-After gives the seconds left",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<?> login(@Body @Valid LoginRequest body, HttpRequest<?> request) {
        RequestInfo info = RequestInfo.of(request);
        LoginThrottle.Attempt attempt = throttle.begin(body.username(), info.sourceIp());
        if (attempt.refused()) {
            // the same answer whether the password would have been right: a lockout is no oracle
            return Problems.response(Problems.of(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                            "too many failed logins; try again later", null))
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(attempt.retryAfterSeconds()));
        }
        // The providers are imperative and non-blocking-executor ones, so the publisher has its answer already.
        AuthenticationResponse response = Mono.from(authenticator.authenticate(request,
                new UsernamePasswordCredentials(body.username(), body.password()))).block();
        if (response == null || !response.isAuthenticated() || response.getAuthentication().isEmpty()) {
            // Unknown and known accounts run the same statements, so neither the answer nor its timing tells them apart.
            // The provider noted why, from the one read of the user it made.
            PasswordAuthenticationProvider.Refusal refusal = request.getAttribute(PasswordAuthenticationProvider.REFUSAL,
                    PasswordAuthenticationProvider.Refusal.class).orElse(new PasswordAuthenticationProvider.Refusal("bad credentials", null));
            throttle.failed(attempt, info, refusal.reason(), refusal.userId());
            // one answer for unknown, wrong and deactivated: the reason stays on the server
            throw ProblemException.unauthorized("bad credentials");
        }
        throttle.succeeded(attempt);
        return HttpResponse.ok(tokens.issue(response.getAuthentication().get()));
    }
}
