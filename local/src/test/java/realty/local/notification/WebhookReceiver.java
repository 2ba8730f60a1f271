package realty.local.notification;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A webhook subscriber on loopback that answers a scripted series of status codes and keeps what it received. */
final class WebhookReceiver implements AutoCloseable {
    /** One request as received. */
    record Received(Map<String, List<String>> headers, byte[] body, int answered) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final Deque<Integer> script;
    private final int thereafter;
    final List<Received> received = new CopyOnWriteArrayList<>();

    /** Answers {@code first} in order, then {@code thereafter} forever. */
    WebhookReceiver(List<Integer> first, int thereafter) throws IOException {
        this.script = new ArrayDeque<>(first);
        this.thereafter = thereafter;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                int status;
                synchronized (this) {
                    status = script.isEmpty() ? thereafter : script.poll();
                }
                received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body, status));
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
    }

    static WebhookReceiver answering(int status) throws IOException {
        return new WebhookReceiver(List.of(), status);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    long successes() {
        return received.stream().filter(r -> r.answered() >= 200 && r.answered() < 300).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
