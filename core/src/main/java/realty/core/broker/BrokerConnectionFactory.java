package realty.core.broker;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.rabbitmq.connect.RabbitConnectionFactoryConfig;

/**
 * micronaut-rabbitmq's connection factory configuration ({@code rabbitmq.*}: amqp-client's
 * {@code ConnectionFactory} properties, {@code confirm-timeout}, {@code channel-pool.max-idle-channels}),
 * declared here as the library's {@code SingleRabbitConnectionFactoryConfig} is.
 *
 * <p>The library's own beans are switched off ({@code rabbitmq.enabled: false}): the Lambda runtime starts
 * Micronaut with every singleton initialised eagerly, which would open the library's {@code Connection}
 * during INIT (into the SnapStart snapshot, failing the start while the broker is down) and set up its
 * {@code @RabbitClient} and {@code @RabbitListener} machinery, which nothing here uses.
 */
@ConfigurationProperties("rabbitmq")
public class BrokerConnectionFactory extends RabbitConnectionFactoryConfig {
    public BrokerConnectionFactory() {
        super("default");
    }

    public void setChannelPool(@NonNull PoolSettings channelPool) {
        super.setChannelPool(channelPool);
    }

    /** {@code rabbitmq.channel-pool.*}. */
    @ConfigurationProperties("channel-pool")
    public static class PoolSettings extends ChannelPoolConfiguration {
    }
}
