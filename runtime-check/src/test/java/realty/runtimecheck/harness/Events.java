package realty.runtimecheck.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import realty.infracheck.Repository;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Invocation payloads built on the repository's sample events ({@code events/}), which are shaped
 * like AWS's own samples (API Gateway HTTP API payload 2.0; the Amazon MQ for RabbitMQ event source):
 * the sample's structure is kept and only what a request or a delivery changes is set.
 *
 * <p>(AWS's {@code com.amazonaws:aws-lambda-java-tests} jar, 1.0.0–1.1.2 on Maven Central, ships
 * only its loader classes: the sample files live in that project's {@code src/test/resources} and
 * are not published, so the repository's own samples are the base.)
 */
public final class Events {
    private static final DateTimeFormatter API_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US)
            .withZone(ZoneOffset.UTC);
    /** The RabbitMQ event source's timestamp format ("Mar 14, 2025, 12:30:45 PM"). */
    private static final DateTimeFormatter RMQ_TIME = DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US)
            .withZone(ZoneOffset.UTC);

    private Events() {
    }

    /**
     * An API Gateway HTTP API (payload 2.0) request for the route the deployment configures:
     * {@code $default} (Terraform) or {@code ANY /{proxy+}} (SAM, with the proxy path parameter).
     */
    public static String apiRequest(String routeKey, String method, String path, Map<String, String> headers, String body) {
        ObjectNode event = Json.read(Repository.events().resolve("api-health.json"));
        String rawPath = path;
        String rawQuery = "";
        int q = path.indexOf('?');
        if (q >= 0) {
            rawPath = path.substring(0, q);
            rawQuery = path.substring(q + 1);
        }
        event.put("routeKey", routeKey);
        event.put("rawPath", rawPath);
        event.put("rawQueryString", rawQuery);
        ObjectNode h = (ObjectNode) event.get("headers");
        h.put("x-request-id", UUID.randomUUID().toString());
        h.put("x-amzn-trace-id", "Root=1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-" + AwsPlatform.hex(12));
        headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
        if (body != null) {
            h.put("content-type", headers.getOrDefault("content-type", "application/json"));
            h.put("content-length", String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        if (!rawQuery.isEmpty()) {
            ObjectNode params = event.putObject("queryStringParameters");
            for (String pair : rawQuery.split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        if (routeKey.contains("{proxy+}")) {
            event.putObject("pathParameters").put("proxy", rawPath.startsWith("/") ? rawPath.substring(1) : rawPath);
        }
        ObjectNode ctx = (ObjectNode) event.get("requestContext");
        ctx.put("routeKey", routeKey);
        ctx.put("requestId", Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8))
                .substring(0, 16));
        Instant now = Instant.now();
        ctx.put("time", API_TIME.format(now));
        ctx.put("timeEpoch", now.toEpochMilli());
        ObjectNode http = (ObjectNode) ctx.get("http");
        http.put("method", method);
        http.put("path", rawPath);
        return Json.write(event);
    }

    /**
     * A RabbitMQ event-source batch of messages taken off {@code queue} in {@code vhost}, on the
     * structure of {@code events/rmq-<queue>.json}: {@code rmqMessagesByQueue} keyed
     * {@code "<queue>::<vhost>"}, each message's {@code basicProperties} as the event source copies them
     * (string headers as {@code {"bytes": [...]}}), {@code data} = base64 of the body.
     */
    public static String rabbitMqBatch(String queue, String vhost, List<GetResponse> deliveries) {
        ObjectNode event = Json.read(Repository.events().resolve("rmq-" + queue + ".json"));
        ObjectNode byQueue = event.putObject("rmqMessagesByQueue");
        ArrayNode messages = byQueue.putArray(queue + "::" + vhost);
        for (GetResponse delivery : deliveries) {
            messages.add(message(delivery.getProps(), delivery.getEnvelope().isRedeliver(), delivery.getBody()));
        }
        return Json.write(event);
    }

    private static ObjectNode message(AMQP.BasicProperties p, boolean redelivered, byte[] body) {
        ObjectNode m = Json.object();
        ObjectNode props = m.putObject("basicProperties");
        props.put("contentType", p.getContentType());
        props.put("contentEncoding", p.getContentEncoding());
        ObjectNode headers = props.putObject("headers");
        if (p.getHeaders() != null) {
            p.getHeaders().forEach((k, v) -> headers.set(k, headerValue(v)));
        }
        if (p.getDeliveryMode() != null) {
            props.put("deliveryMode", p.getDeliveryMode());
        } else {
            props.putNull("deliveryMode");
        }
        if (p.getPriority() != null) {
            props.put("priority", p.getPriority());
        } else {
            props.putNull("priority");
        }
        props.put("correlationId", p.getCorrelationId());
        props.put("replyTo", p.getReplyTo());
        props.put("expiration", p.getExpiration());
        props.put("messageId", p.getMessageId());
        Date ts = p.getTimestamp();
        props.put("timestamp", ts == null ? null : RMQ_TIME.format(ts.toInstant()));
        props.put("type", p.getType());
        props.put("userId", p.getUserId());
        props.put("appId", p.getAppId());
        props.put("clusterId", p.getClusterId());
        props.put("bodySize", body.length);
        m.put("redelivered", redelivered);
        m.put("data", Base64.getEncoder().encodeToString(body));
        return m;
    }

    private static JsonNode headerValue(Object v) {
        if (v instanceof LongString s) {
            ObjectNode bytes = Json.object();
            ArrayNode array = bytes.putArray("bytes");
            for (byte b : s.getBytes()) {
                array.add(b);
            }
            return bytes;
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode o = Json.object();
            map.forEach((k, x) -> o.set(String.valueOf(k), headerValue(x)));
            return o;
        }
        if (v instanceof List<?> list) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            list.forEach(x -> a.add(headerValue(x)));
            return a;
        }
        if (v instanceof Date d) {
            return Json.MAPPER.valueToTree(RMQ_TIME.format(d.toInstant()));
        }
        return Json.MAPPER.valueToTree(v);
    }
}
