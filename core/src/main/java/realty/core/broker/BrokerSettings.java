package realty.core.broker;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;

/** Connection to RabbitMQ / Amazon MQ for RabbitMQ ({@code realty.broker.*}). */
@ConfigurationProperties("realty.broker")
public class BrokerSettings {
    private String uri = "amqp://localhost:5672";
    private String virtualHost = "/";
    private String username = "guest";
    private String password = "guest";
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration confirmTimeout = Duration.ofSeconds(5);
    /** After a failed connection attempt, publishers fail fast for this long instead of reconnecting per call. */
    private Duration reconnectBackoff = Duration.ofSeconds(1);
    private int channelPoolSize = 8;

    public String getUri() { return uri; }
    public void setUri(String uri) { this.uri = uri; }
    public String getVirtualHost() { return virtualHost; }
    public void setVirtualHost(String virtualHost) { this.virtualHost = virtualHost; }
    @Nullable public String getUsername() { return username; }
    public void setUsername(@Nullable String username) { this.username = username; }
    @Nullable public String getPassword() { return password; }
    public void setPassword(@Nullable String password) { this.password = password; }
    public Duration getConnectTimeout() { return connectTimeout; }
    public void setConnectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; }
    public Duration getConfirmTimeout() { return confirmTimeout; }
    public void setConfirmTimeout(Duration confirmTimeout) { this.confirmTimeout = confirmTimeout; }
    public Duration getReconnectBackoff() { return reconnectBackoff; }
    public void setReconnectBackoff(Duration reconnectBackoff) { this.reconnectBackoff = reconnectBackoff; }
    public int getChannelPoolSize() { return channelPoolSize; }
    public void setChannelPoolSize(int channelPoolSize) { this.channelPoolSize = channelPoolSize; }
}
