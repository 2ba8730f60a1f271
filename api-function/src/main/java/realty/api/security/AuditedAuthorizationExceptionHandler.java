package realty.api.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.micronaut.security.authentication.WwwAuthenticateChallengeProvider;
import io.micronaut.security.config.RedirectConfiguration;
import io.micronaut.security.config.RedirectService;
import io.micronaut.security.errors.PriorToLoginPersistence;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The security layer's refusals (no token, a token that fails validation — bad signature,
 * {@code alg: none}, expired, not yet valid — or a {@code @Secured} rule) answer as before, and
 * are audited: they end the request before any filter's response phase, so
 * {@link AccessDeniedAudit} never sees them.
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuditedAuthorizationExceptionHandler extends DefaultAuthorizationExceptionHandler {
    private final RefusalAudit refusals;

    public AuditedAuthorizationExceptionHandler(ErrorResponseProcessor<?> errorResponseProcessor,
                                                RedirectConfiguration redirectConfiguration,
                                                RedirectService redirectService,
                                                List<WwwAuthenticateChallengeProvider<HttpRequest<?>>> challengeProviders,
                                                @Nullable PriorToLoginPersistence priorToLoginPersistence,
                                                RefusalAudit refusals) {
        super(errorResponseProcessor, redirectConfiguration, redirectService, challengeProviders, priorToLoginPersistence);
        this.refusals = refusals;
    }

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        MutableHttpResponse<?> response = super.handle(request, exception);
        String reason = exception.isForbidden() ? "forbidden by a security rule"
                : request.getHeaders().contains(HttpHeaders.AUTHORIZATION) ? "token refused" : "no token";
        refusals.record(request, response.code(), reason);
        return response;
    }
}
