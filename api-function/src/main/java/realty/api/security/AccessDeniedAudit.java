package realty.api.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Records refused requests on the API that the application itself refused: 401 and 403 problems,
 * and 404 when it hid a row outside the caller's scope (marked by the problem handler). Refusals
 * by the security layer (missing or invalid token, {@code @Secured}) never reach this filter;
 * {@link AuditedAuthorizationExceptionHandler} records those.
 */
@ServerFilter("/api/**")
public class AccessDeniedAudit {
    /** Request attribute set when a 403/404 problem was a refusal rather than a plain miss. */
    public static final String DENIED = "realty.denied";

    private final RefusalAudit refusals;

    public AccessDeniedAudit(RefusalAudit refusals) {
        this.refusals = refusals;
    }

    @ResponseFilter
    public void audit(HttpRequest<?> request, HttpResponse<?> response) {
        int status = response.code();
        if (status != 401 && !(status == 403 || status == 404) || (status != 401 && request.getAttribute(DENIED).isEmpty())) {
            return;
        }
        refusals.record(request, status, request.getAttribute(DENIED, String.class).orElse("authentication required or invalid"));
    }
}
