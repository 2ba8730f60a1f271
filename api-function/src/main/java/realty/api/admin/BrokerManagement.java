package realty.api.admin;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import realty.core.broker.BrokerSettings;
import realty.core.broker.BrokerUnavailableException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Queue figures from the RabbitMQ management HTTP API ({@code GET /api/queues/{vhost}}): what the
 * broker itself counts, rather than guesses from the client side. The broker refreshes these
 * statistics every few seconds ({@code collect_statistics_interval}, 5 s by default), so they lag
 * that much behind.
 */
@Singleton
public class BrokerManagement {
    private static final String COLUMNS = "name,messages_ready,messages_unacknowledged,consumers,head_message_timestamp";

    private final ManagementSettings settings;
    private final BrokerSettings broker;
    private final JsonMapper json;
    // HTTP/1.1: the JDK's default h2c upgrade attempt is refused by some RabbitMQ web servers.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public BrokerManagement(ManagementSettings settings, BrokerSettings broker, JsonMapper json) {
        this.settings = settings;
        this.broker = broker;
        this.json = json;
    }

    /**
     * One queue as the broker counts it.
     *
     * @param headMessageTimestamp the {@code timestamp} property of the message at the head of the
     *                             queue, which our publishers always set; null for an empty queue
     */
    public record QueueFigures(String name, long ready, long unacknowledged, int consumers, Instant headMessageTimestamp) {
    }

    /** Every queue of the broker's virtual host, by name. */
    public Map<String, QueueFigures> queues() throws BrokerUnavailableException {
        String vhost = URLEncoder.encode(broker.getVirtualHost(), StandardCharsets.UTF_8).replace("+", "%20");
        String base = settings.getUri().endsWith("/") ? settings.getUri().substring(0, settings.getUri().length() - 1) : settings.getUri();
        String user = settings.getUsername() != null ? settings.getUsername() : broker.getUsername();
        String password = settings.getPassword() != null ? settings.getPassword() : broker.getPassword();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/queues/" + vhost + "?columns=" + COLUMNS))
                .timeout(settings.getTimeout())
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new BrokerUnavailableException("management API unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while asking the management API", e);
        }
        if (response.statusCode() != 200) {
            throw new BrokerUnavailableException("management API answered HTTP " + response.statusCode(), null);
        }
        List<Map<String, Object>> rows;
        try {
            rows = json.readValue(response.body(), Argument.listOf(Argument.mapOf(String.class, Object.class)));
        } catch (IOException e) {
            throw new BrokerUnavailableException("management API answered something that is not JSON", e);
        }
        Map<String, QueueFigures> out = new HashMap<>();
        for (Map<String, Object> row : rows) {
            String name = String.valueOf(row.get("name"));
            Object head = row.get("head_message_timestamp");
            out.put(name, new QueueFigures(name, number(row.get("messages_ready")), number(row.get("messages_unacknowledged")),
                    (int) number(row.get("consumers")),
                    head instanceof Number n && n.longValue() > 0 ? Instant.ofEpochSecond(n.longValue()) : null));
        }
        return out;
    }

    private static long number(Object v) {
        return v instanceof Number n ? n.longValue() : 0;
    }
}
