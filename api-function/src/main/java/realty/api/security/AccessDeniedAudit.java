package realty.api.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.security.authentication.Authentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.api.web.RequestInfo;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.outbox.EventfulTransaction;
import realty.core.security.Caller;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Emits {@code security.access_denied} for every refused request on the API: 401, 403, and 404 when
 * it hid a row outside the caller's scope (marked by the problem handler), with actor, source IP,
 * user agent and request id, so that the audit log records probing and escalation attempts.
 */
@ServerFilter("/api/**")
public class AccessDeniedAudit {
    /** Request attribute set when a 403/404 problem was a refusal rather than a plain miss. */
    public static final String DENIED = "realty.denied";
    private static final Logger LOG = LoggerFactory.getLogger(AccessDeniedAudit.class);

    private final EventfulTransaction writes;

    public AccessDeniedAudit(EventfulTransaction writes) {
        this.writes = writes;
    }

    @ResponseFilter
    public void audit(HttpRequest<?> request, HttpResponse<?> response) {
        int status = response.code();
        if (status != 401 && !(status == 403 || status == 404) || (status != 401 && request.getAttribute(DENIED).isEmpty())) {
            return;
        }
        try {
            RequestInfo info = RequestInfo.of(request);
            Caller caller = request.getAttribute("realty.caller", Caller.class).orElse(null);
            String subject = caller != null ? caller.actorId()
                    : request.getUserPrincipal(Authentication.class).map(Authentication::getName).orElse(null);
            UUID company = caller == null || caller.companyIds().isEmpty() ? null
                    : caller.companyIds().stream().sorted().findFirst().orElse(null);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("method", request.getMethodName());
            payload.put("path", request.getPath());
            payload.put("status", status);
            payload.put("reason", request.getAttribute(DENIED, String.class).orElse("authentication required or invalid"));
            EventEnvelope event = EventEnvelope.create(EventType.SECURITY_ACCESS_DENIED, company,
                    new Actor(subject, caller == null ? null : caller.profileCodes(), null, info.sourceIp(), info.userAgent()),
                    info.requestId(), null, new AggregateRef("request", info.requestId()), payload);
            writes.execute(c -> new EventfulTransaction.Result<Void>(null, List.of(event)));
        } catch (RuntimeException e) {
            // The refusal stands either way; losing its audit event must not turn it into a 500.
            LOG.error("could not record security.access_denied for request {}", RequestInfo.of(request).requestId(), e);
        }
    }
}
