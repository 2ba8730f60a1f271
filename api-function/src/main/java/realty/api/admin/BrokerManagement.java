package realty.api.admin;

import io.micronaut.http.BasicAuth;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.codec.CodecException;
import io.micronaut.rabbitmq.connect.RabbitConnectionFactoryConfig;
import jakarta.inject.Singleton;
import realty.core.broker.BrokerUnavailableException;

import java.time.Instant;
import java.util.HashMap;
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

    private final RabbitManagementClient client;
    private final ManagementSettings settings;
    private final RabbitConnectionFactoryConfig broker;

    public BrokerManagement(RabbitManagementClient client, ManagementSettings settings, RabbitConnectionFactoryConfig broker) {
        this.client = client;
        this.settings = settings;
        this.broker = broker;
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
        String user = settings.getUsername() != null ? settings.getUsername() : broker.getUsername();
        String password = settings.getPassword() != null ? settings.getPassword() : broker.getPassword();
        Iterable<RabbitManagementClient.QueueRow> rows;
        try {
            rows = client.queues(broker.getVirtualHost(), COLUMNS, new BasicAuth(user, password));
        } catch (HttpClientResponseException e) {
            throw new BrokerUnavailableException("management API answered HTTP " + e.getStatus().getCode(), e);
        } catch (CodecException e) {
            throw new BrokerUnavailableException("management API answered something that is not JSON", e);
        } catch (HttpClientException e) {
            throw new BrokerUnavailableException("management API unreachable: " + e.getMessage(), e);
        }
        Map<String, QueueFigures> out = new HashMap<>();
        for (RabbitManagementClient.QueueRow row : rows) {
            Long head = row.headMessageTimestamp();
            out.put(row.name(), new QueueFigures(row.name(), orZero(row.messagesReady()), orZero(row.messagesUnacknowledged()),
                    row.consumers() == null ? 0 : row.consumers(),
                    head != null && head > 0 ? Instant.ofEpochSecond(head) : null));
        }
        return out;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
