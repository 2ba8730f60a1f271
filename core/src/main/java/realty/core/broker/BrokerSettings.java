package realty.core.broker;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * What the project adds to micronaut-rabbitmq's {@code rabbitmq.*} configuration ({@code realty.broker.*}).
 *
 * <p>The connection itself (URI, virtual host, credentials, timeouts, confirm timeout, channel pool) is
 * {@code rabbitmq.*}; {@code application.yml} maps the deployment's names ({@code realty.broker.uri},
 * {@code virtual-host}, {@code username}, {@code password}, fed by {@code AMQP_*} and the broker secret)
 * onto it.
 */
@ConfigurationProperties("realty.broker")
public class BrokerSettings {
    /** After a failed connection attempt, publishers fail fast for this long instead of reconnecting per call. */
    private Duration reconnectBackoff = Duration.ofSeconds(1);

    public Duration getReconnectBackoff() { return reconnectBackoff; }
    public void setReconnectBackoff(Duration reconnectBackoff) { this.reconnectBackoff = reconnectBackoff; }
}
