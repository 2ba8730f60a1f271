package realty.api.web;

import io.micronaut.http.HttpRequest;

import java.util.UUID;

/**
 * Request id, source address and user agent of the current request: the correlation id of its
 * events and the context of its audit rows.
 */
public record RequestInfo(String requestId, String sourceIp, String userAgent) {
    static final String ATTRIBUTE = "realty.requestId";
    public static final String HEADER = "X-Request-Id";

    public static RequestInfo of(HttpRequest<?> request) {
        String id = request.getAttribute(ATTRIBUTE, String.class).orElseGet(() -> assignId(request));
        String ip = request.getRemoteAddress() == null || request.getRemoteAddress().getAddress() == null ? null
                : request.getRemoteAddress().getAddress().getHostAddress();
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

    /** Keeps a well-formed client id (so it can correlate across systems), otherwise makes one. */
    static String assignId(HttpRequest<?> request) {
        String given = request.getHeaders().get(HEADER);
        String id = given != null && given.matches("[A-Za-z0-9._:-]{1,128}") ? given : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        return id;
    }
}
