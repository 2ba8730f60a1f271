package realty.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.api.ApiFunction;
import realty.core.id.TimeOrderedIds;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The local stand-in for API Gateway (HTTP API, payload 2.0): each HTTP request becomes an
 * {@link APIGatewayV2HTTPEvent} for the very {@link ApiFunction} Lambda runs, and its
 * {@link APIGatewayV2HTTPResponse} becomes the HTTP response. Like API Gateway it refuses bodies
 * over 10 MB.
 */
final class LocalGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalGateway.class);
    private static final int MAX_BODY = 10 * 1024 * 1024;
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final ExecutorService executor;
    private final ApiFunction api;

    LocalGateway(ApiFunction api, String host, int port, int threads) throws IOException {
        this.api = api;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "gateway");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code GET path} straight from the runner (e.g. the Prometheus endpoint), not through the API. */
    void serveText(String path, String contentType, Supplier<String> body) {
        server.createContext(path, exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    send(exchange, 405, Map.of("Allow", "GET"), new byte[0]);
                    return;
                }
                send(exchange, 200, Map.of("Content-Type", contentType), body.get().getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /**
     * Serves {@code GET path/…} from the classpath folder {@code root}, {@code path/} being its
     * index.html: the Swagger UI pages micronaut-openapi generates, which the Lambda jar leaves out.
     */
    void serveClasspath(String path, String root) {
        server.createContext(path, exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    send(exchange, 405, Map.of("Allow", "GET"), new byte[0]);
                    return;
                }
                String name = exchange.getRequestURI().getPath().substring(path.length());
                if (name.isEmpty()) {
                    send(exchange, 301, Map.of("Location", path + "/"), new byte[0]);
                    return;
                }
                if (name.equals("/")) {
                    name = "/index.html";
                }
                try (InputStream in = name.contains("..") ? null : LocalGateway.class.getResourceAsStream(root + name)) {
                    if (in == null) {
                        send(exchange, 404, Map.of("Content-Type", "text/plain"), "not found".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    send(exchange, 200, Map.of("Content-Type", contentType(name), "Cache-Control", "no-cache"), in.readAllBytes());
                }
            }
        });
    }

    private static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "application/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "png" -> "image/png";
            default -> "application/octet-stream";
        };
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, Map.of("Content-Type", "application/problem+json"),
                        "{\"type\":\"https://realty.dev/problems/413\",\"title\":\"Payload Too Large\",\"status\":413,\"detail\":\"request body over 10 MB\"}"
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
            APIGatewayV2HTTPResponse response = api.handleRequest(toEvent(exchange, body), new LocalLambdaContext("api-function", 30_000));
            Map<String, String> headers = new LinkedHashMap<>();
            if (response.getHeaders() != null) {
                headers.putAll(response.getHeaders());
            }
            if (response.getMultiValueHeaders() != null) {
                response.getMultiValueHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
            }
            String responseBody = response.getBody() == null ? "" : response.getBody();
            byte[] bytes = response.getIsBase64Encoded() ? Base64.getDecoder().decode(responseBody)
                    : responseBody.getBytes(StandardCharsets.UTF_8);
            send(exchange, response.getStatusCode(), headers, bytes);
        } catch (RuntimeException e) {
            LOG.error("gateway: handler failed", e);
            send(exchange, 502, Map.of("Content-Type", "application/problem+json"),
                    "{\"type\":\"https://realty.dev/problems/502\",\"title\":\"Bad Gateway\",\"status\":502}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        return bytes.length > MAX_BODY ? null : bytes;
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (name.equalsIgnoreCase("cookie")) {
                values.forEach(v -> cookies.addAll(List.of(v.split(";\\s*"))));
            } else {
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
            }
        });
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                String[] kv = pair.split("=", 2);
                String key = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
                String value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
                query.merge(key, value, (a, b) -> a + "," + b);
            }
        }
        String contentType = headers.getOrDefault("content-type", "");
        boolean text = body.length == 0 || contentType.startsWith("text/") || contentType.contains("json")
                || contentType.contains("xml") || contentType.contains("x-www-form-urlencoded");
        Instant now = Instant.now();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(!text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000")
                        .withApiId("local")
                        .withDomainName("localhost")
                        .withDomainPrefix("localhost")
                        .withRequestId(TimeOrderedIds.next().toString())
                        .withRouteKey("$default")
                        .withStage("$default")
                        .withTime(REQUEST_TIME.format(now))
                        .withTimeEpoch(now.toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(path)
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                                .withUserAgent(headers.get("user-agent"))
                                .build())
                        .build())
                .build();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
