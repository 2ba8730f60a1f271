package realty.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.json.JsonMapper;
import realty.api.ApiFunction;
import realty.local.LocalLambdaContext;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Calls the production {@link ApiFunction} directly with API Gateway (HTTP API, payload 2.0)
 * events, the way Lambda does, without the local gateway's HTTP server in between.
 */
final class Api {
    final ApiFunction function;
    final JsonMapper json;

    Api(ApiFunction function, JsonMapper json) {
        this.function = function;
        this.json = json;
    }

    record Response(int status, String body, Map<String, String> headers) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map(JsonMapper json) {
            if (body == null || body.isBlank() || !body.trim().startsWith("{")) {
                return Map.of();
            }
            try {
                return json.readValue(body, Map.class);
            } catch (IOException e) {
                return Map.of("unparsable", body);
            }
        }
    }

    static APIGatewayV2HTTPEvent event(String method, String path, String token, String body, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("accept", "application/json");
        headers.put("user-agent", "realty-bench");
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        if (token != null) {
            headers.put("authorization", "Bearer " + token);
        }
        if (requestId != null) {
            headers.put("x-request-id", requestId);
        }
        Instant now = Instant.now();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000")
                        .withApiId("bench")
                        .withDomainName("localhost")
                        .withDomainPrefix("localhost")
                        .withRequestId(UUID.randomUUID().toString())
                        .withRouteKey("$default")
                        .withStage("$default")
                        .withTimeEpoch(now.toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(path)
                                .withProtocol("HTTP/1.1")
                                .withSourceIp("127.0.0.1")
                                .withUserAgent("realty-bench")
                                .build())
                        .build())
                .build();
    }

    Response call(String method, String path, String token, Object body, String requestId) throws IOException {
        String text = body == null ? null : body instanceof String s ? s : json.writeValueAsString(body);
        return raw(method, path, token, text, requestId);
    }

    Response raw(String method, String path, String token, String body, String requestId) {
        APIGatewayV2HTTPResponse r = function.handleRequest(event(method, path, token, body, requestId),
                new LocalLambdaContext("api-function", 300_000));
        Map<String, String> headers = new LinkedHashMap<>();
        if (r.getHeaders() != null) {
            r.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
        }
        if (r.getMultiValueHeaders() != null) {
            r.getMultiValueHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        }
        return new Response(r.getStatusCode(), r.getBody(), headers);
    }

    String login(String username, String password) throws IOException {
        Response r = call("POST", "/api/v1/auth/login", null, Map.of("username", username, "password", password), null);
        if (r.status() != 200) {
            throw new IllegalStateException("login of " + username + " answered " + r.status() + ": " + r.body());
        }
        return (String) r.map(json).get("access_token");
    }

    /** A new company and its owner (created by the platform admin); returns {companyId, ownerToken}. */
    String[] tenant(String name) throws IOException {
        String admin = login("admin", Infra.ADMIN_PASSWORD);
        Response c = call("POST", "/api/v1/companies", admin, Map.of("name", name), null);
        if (c.status() != 201) {
            throw new IllegalStateException("company creation answered " + c.status() + ": " + c.body());
        }
        String companyId = (String) c.map(json).get("id");
        String email = "owner-" + UUID.randomUUID().toString().substring(0, 8) + "@bench.realty.dev";
        Response u = call("POST", "/api/v1/users", admin, Map.of("email", email, "name", "Bench owner",
                "password", "a-long-password", "profiles", List.of("owner"), "companyIds", List.of(companyId)), null);
        if (u.status() != 201) {
            throw new IllegalStateException("owner creation answered " + u.status() + ": " + u.body());
        }
        return new String[]{companyId, login(email, "a-long-password")};
    }
}
