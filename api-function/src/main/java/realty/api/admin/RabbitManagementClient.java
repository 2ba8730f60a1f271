package realty.api.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.BasicAuth;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * The part of the RabbitMQ management HTTP API the API reads
 * (https://www.rabbitmq.com/docs/http-api-reference), as a Micronaut declarative client over the JDK
 * HTTP client the API already ships. Its base URL and timeouts are {@code micronaut.http.services.rabbitmq-management.*}.
 */
@Client(id = RabbitManagementClient.SERVICE)
public interface RabbitManagementClient {
    String SERVICE = "rabbitmq-management";

    /**
     * The queues of one virtual host, with only the named columns. The template encodes the virtual host
     * as one path segment ({@code /} becomes {@code %2F}).
     */
    @Get("/api/queues/{vhost}{?columns}")
    List<QueueRow> queues(String vhost, String columns, BasicAuth credentials);

    /**
     * One row of {@code GET /api/queues/{vhost}}. Counters are absent until the broker has collected
     * statistics for a new queue; {@code head_message_timestamp} is in seconds and absent for an empty queue.
     */
    @Serdeable
    record QueueRow(String name,
                    @JsonProperty("messages_ready") @Nullable Long messagesReady,
                    @JsonProperty("messages_unacknowledged") @Nullable Long messagesUnacknowledged,
                    @Nullable Integer consumers,
                    @JsonProperty("head_message_timestamp") @Nullable Long headMessageTimestamp) {
    }
}
