package realty.api.web;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.micronaut.http.HttpRequest;
import io.micronaut.servlet.http.ServletHttpRequest;
import realty.core.id.TimeOrderedIds;


/**
 * Request id, source address and user agent of the current request: the correlation id of its
 * events and the context of its audit rows.
 */
public record RequestInfo(String requestId, String sourceIp, String userAgent) {
    static final String ATTRIBUTE = "realty.requestId";
    public static final String HEADER = "X-Request-Id";

    public static RequestInfo of(HttpRequest<?> request) {
        String id = request.getAttribute(ATTRIBUTE, String.class).orElseGet(() -> assignId(request));
        String ip = sourceIp(request);
        String agent = request.getHeaders().get("User-Agent");
        return new RequestInfo(id, ip, agent == null ? null : agent.substring(0, Math.min(agent.length(), 500)));
    }

    /** Paths under this prefix carry one-time secrets after their action, e.g. {@code /api/v1/auth/invitations/{token}}. */
    private static final String AUTH = "/api/v1/auth/";

    /**
     * The request's path as logs and audit rows may show it: below {@code /api/v1/auth/<action>/} every
     * further segment is a link's token and is masked, so a token never reaches a log line or an audit row.
     */
    public static String loggablePath(HttpRequest<?> request) {
        String path = request.getPath();
        if (!path.startsWith(AUTH)) {
            return path;
        }
        int actionEnd = path.indexOf('/', AUTH.length());
        return actionEnd < 0 || actionEnd == path.length() - 1 ? path : path.substring(0, actionEnd + 1) + "{token}";
    }

    /**
     * The address of the client that reached API Gateway. Behind an HTTP API (payload 2.0) that is the
     * event's {@code requestContext.http.sourceIp}, "the source IP address of the TCP connection making
     * the request to API Gateway" (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html,
     * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html); the local
     * gateway fills it the same way. Never X-Forwarded-For: any client can write that header. The servlet
     * request's own remote address is only the URI's host under Lambda, so it is the fallback for other servers.
     */
    static String sourceIp(HttpRequest<?> request) {
        if (request instanceof ServletHttpRequest<?, ?> servlet && servlet.getNativeRequest() instanceof APIGatewayV2HTTPEvent event
                && event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                && event.getRequestContext().getHttp().getSourceIp() != null) {
            return event.getRequestContext().getHttp().getSourceIp();
        }
        return request.getRemoteAddress() == null || request.getRemoteAddress().getAddress() == null ? null
                : request.getRemoteAddress().getAddress().getHostAddress();
    }

    /** Keeps a well-formed client id (so it can correlate across systems), otherwise makes one. */
    static String assignId(HttpRequest<?> request) {
        String given = request.getHeaders().get(HEADER);
        String id = given != null && given.matches("[A-Za-z0-9._:-]{1,128}") ? given : TimeOrderedIds.next().toString();
        request.setAttribute(ATTRIBUTE, id);
        return id;
    }
}
