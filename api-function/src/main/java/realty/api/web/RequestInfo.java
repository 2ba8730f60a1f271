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

    /** Keeps a well-formed client id (so it can correlate across systems), otherwise makes one. */
    static String assignId(HttpRequest<?> request) {
        String given = request.getHeaders().get(HEADER);
        String id = given != null && given.matches("[A-Za-z0-9._:-]{1,128}") ? given : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        return id;
    }
}
