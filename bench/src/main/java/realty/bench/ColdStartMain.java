package realty.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import realty.local.LocalLambdaContext;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs inside a fresh JVM whose class path is a function's deployment jar (plus this class):
 * constructs the Lambda handler as the Lambda runtime would (its init phase), hands it the first
 * event of a JSON-lines file, then the rest, and prints one {@code COLDSTART {...}} line with wall
 * clock timestamps, heap and RSS. Uses only the JDK and classes inside the deployment jar.
 *
 * <p>{@code ColdStartMain <handler class> <events.jsonl> <function name>}.
 */
public final class ColdStartMain {
    private ColdStartMain() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        long mainAt = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        String handlerClass = args[0];
        List<String> lines = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        String function = args[2];

        RequestHandler handler = (RequestHandler) Class.forName(handlerClass).getDeclaredConstructor().newInstance();
        long initDone = System.currentTimeMillis();
        Object first = convert(Json.parse(lines.get(0)));
        Object result = handler.handleRequest(first, new LocalLambdaContext(function, 60_000));
        long firstDone = System.currentTimeMillis();
        String firstStatus = status(result);

        Map<String, Integer> statuses = new TreeMap<>();
        long moreStart = System.nanoTime();
        for (int i = 1; i < lines.size(); i++) {
            Object r = handler.handleRequest(convert(Json.parse(lines.get(i))), new LocalLambdaContext(function, 60_000));
            statuses.merge(status(r), 1, Integer::sum);
        }
        double moreMs = (System.nanoTime() - moreStart) / 1e6;

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heapUsed = memory.getHeapMemoryUsage().getUsed();
        long heapCommitted = memory.getHeapMemoryUsage().getCommitted();
        long heapMax = memory.getHeapMemoryUsage().getMax();
        long nonHeapUsed = memory.getNonHeapMemoryUsage().getUsed();
        Map<String, Long> status = procStatus();
        System.gc();
        long heapAfterGc = memory.getHeapMemoryUsage().getUsed();
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        String json = "{\"jvmStart\":" + jvmStart + ",\"main\":" + mainAt + ",\"initDone\":" + initDone + ",\"firstDone\":" + firstDone
                + ",\"firstStatus\":\"" + firstStatus + "\",\"more\":" + (lines.size() - 1) + ",\"moreMs\":" + Math.round(moreMs)
                + ",\"moreStatuses\":\"" + statuses + "\",\"heapUsed\":" + heapUsed + ",\"heapCommitted\":" + heapCommitted
                + ",\"heapMax\":" + heapMax + ",\"heapAfterGc\":" + heapAfterGc + ",\"nonHeapUsed\":" + nonHeapUsed
                + ",\"rssKb\":" + status.getOrDefault("VmRSS", -1L) + ",\"hwmKb\":" + status.getOrDefault("VmHWM", -1L)
                + ",\"gcCount\":" + gcCount + ",\"gcMillis\":" + gcMillis + "}";
        System.out.println("COLDSTART " + json);
        System.out.flush();
        System.exit(0);
    }

    private static String status(Object result) {
        if (result instanceof APIGatewayV2HTTPResponse r) {
            return String.valueOf(r.getStatusCode());
        }
        return "ok";
    }

    private static Map<String, Long> procStatus() {
        Map<String, Long> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                String[] kv = line.split(":\\s+", 2);
                if (kv.length == 2 && kv[1].endsWith(" kB")) {
                    out.put(kv[0], Long.parseLong(kv[1].substring(0, kv[1].length() - 3).trim()));
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return out;
    }

    // --- events as the Lambda runtime would deserialize them ------------------------------------

    @SuppressWarnings("unchecked")
    static Object convert(Object parsed) {
        Map<String, Object> m = (Map<String, Object>) parsed;
        if (m.containsKey("rmqMessagesByQueue")) {
            return rabbit(m);
        }
        return http(m);
    }

    @SuppressWarnings("unchecked")
    private static RabbitMQEvent rabbit(Map<String, Object> m) {
        RabbitMQEvent e = new RabbitMQEvent();
        e.setEventSource(str(m.get("eventSource")));
        e.setEventSourceArn(str(m.get("eventSourceArn")));
        Map<String, List<RabbitMQEvent.RabbitMessage>> byQueue = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("rmqMessagesByQueue")).forEach((queue, list) -> {
            List<RabbitMQEvent.RabbitMessage> messages = new ArrayList<>();
            for (Object o : (List<Object>) list) {
                Map<String, Object> msg = (Map<String, Object>) o;
                Map<String, Object> p = (Map<String, Object>) msg.get("basicProperties");
                RabbitMQEvent.BasicProperties props = new RabbitMQEvent.BasicProperties();
                props.setContentType(str(p.get("contentType")));
                props.setContentEncoding(str(p.get("contentEncoding")));
                props.setHeaders(headers((Map<String, Object>) p.get("headers")));
                props.setDeliveryMode(integer(p.get("deliveryMode"), 1));
                props.setPriority(integer(p.get("priority"), 0));
                props.setCorrelationId(str(p.get("correlationId")));
                props.setReplyTo(str(p.get("replyTo")));
                props.setExpiration(integer(p.get("expiration"), 0));
                props.setMessageId(str(p.get("messageId")));
                props.setTimestamp(str(p.get("timestamp")));
                props.setType(str(p.get("type")));
                props.setUserId(str(p.get("userId")));
                props.setAppId(str(p.get("appId")));
                props.setClusterId(str(p.get("clusterId")));
                props.setBodySize(integer(p.get("bodySize"), 0));
                RabbitMQEvent.RabbitMessage rm = new RabbitMQEvent.RabbitMessage();
                rm.setBasicProperties(props);
                rm.setRedelivered(Boolean.TRUE.equals(msg.get("redelivered")));
                rm.setData(str(msg.get("data")));
                messages.add(rm);
            }
            byQueue.put(queue, messages);
        });
        e.setRmqMessagesByQueue(byQueue);
        return e;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> headers(Map<String, Object> h) {
        if (h == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        h.forEach((k, v) -> out.put(k, headerValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object headerValue(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < Integer.MAX_VALUE
                    ? (Object) n.intValue() : (Object) n.doubleValue();
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, x) -> out.put(k, headerValue(x)));
            return out;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(x -> out.add(headerValue(x)));
            return out;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static APIGatewayV2HTTPEvent http(Map<String, Object> m) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, Object> h = (Map<String, Object>) m.get("headers");
        if (h != null) {
            h.forEach((k, v) -> headers.put(k, str(v)));
        }
        Map<String, Object> rc = (Map<String, Object>) m.getOrDefault("requestContext", Map.of());
        Map<String, Object> http = (Map<String, Object>) rc.getOrDefault("http", Map.of());
        Object epoch = rc.get("timeEpoch");
        return APIGatewayV2HTTPEvent.builder()
                .withVersion(str(m.get("version")))
                .withRouteKey(str(m.get("routeKey")))
                .withRawPath(str(m.get("rawPath")))
                .withRawQueryString(str(m.get("rawQueryString")))
                .withHeaders(headers)
                .withBody(str(m.get("body")))
                .withIsBase64Encoded(Boolean.TRUE.equals(m.get("isBase64Encoded")))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId(str(rc.get("accountId")))
                        .withApiId(str(rc.get("apiId")))
                        .withDomainName(str(rc.get("domainName")))
                        .withDomainPrefix(str(rc.get("domainPrefix")))
                        .withRequestId(str(rc.get("requestId")))
                        .withRouteKey(str(rc.get("routeKey")))
                        .withStage(str(rc.get("stage")))
                        .withTime(str(rc.get("time")))
                        .withTimeEpoch(epoch instanceof Number n ? n.longValue() : System.currentTimeMillis())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(str(http.get("method")))
                                .withPath(str(http.get("path")))
                                .withProtocol(str(http.get("protocol")))
                                .withSourceIp(str(http.get("sourceIp")))
                                .withUserAgent(str(http.get("userAgent")))
                                .build())
                        .build())
                .build();
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static int integer(Object o, int fallback) {
        return o instanceof Number n ? n.intValue() : fallback;
    }

    /** A small JSON reader (objects, arrays, strings, numbers, booleans, null). */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json j = new Json(text);
            Object v = j.value();
            j.ws();
            if (j.i != j.s.length()) {
                throw new IllegalArgumentException("trailing characters at " + j.i);
            }
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"':
                    return string();
                case 't':
                    i += 4;
                    return Boolean.TRUE;
                case 'f':
                    i += 5;
                    return Boolean.FALSE;
                case 'n':
                    i += 4;
                    return null;
                default: {
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    String num = s.substring(start, i);
                    if (num.contains(".") || num.contains("e") || num.contains("E")) {
                        return Double.parseDouble(num);
                    }
                    return Long.parseLong(num);
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + i);
            }
            i++;
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }
    }
}
