package realty.core.broker;

import io.micronaut.context.env.Environment;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.rabbitmq.connect.RabbitConnectionFactoryConfig;
import jakarta.inject.Singleton;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;

/**
 * Finishes micronaut-rabbitmq's {@code rabbitmq.*} connection factory once it is bound.
 *
 * <ul>
 *   <li>TLS: amqp-client's {@code setUri("amqps://...")}, which {@code rabbitmq.uri} calls, installs a
 *   trust-everything manager, and micronaut-rabbitmq has no property for a verifying one. An amqps
 *   factory gets the JVM trust store (Amazon MQ's certificates chain to a public CA) and host name
 *   verification instead.</li>
 *   <li>Precedence: binding sets {@code rabbitmq.uri} after {@code virtual-host}, {@code username} and
 *   {@code password}, so a URI with a path or user info would override them; the explicit properties
 *   win, as they did before the library.</li>
 * </ul>
 */
@Singleton
public class ConnectionFactoryCustomizer implements BeanCreatedEventListener<RabbitConnectionFactoryConfig> {
    private final Environment environment;

    public ConnectionFactoryCustomizer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public RabbitConnectionFactoryConfig onCreated(BeanCreatedEvent<RabbitConnectionFactoryConfig> event) {
        RabbitConnectionFactoryConfig factory = event.getBean();
        environment.getProperty("rabbitmq.virtual-host", String.class).ifPresent(factory::setVirtualHost);
        environment.getProperty("rabbitmq.username", String.class).ifPresent(factory::setUsername);
        environment.getProperty("rabbitmq.password", String.class).ifPresent(factory::setPassword);
        if (factory.isSSL()) {
            try {
                factory.useSslProtocol(SSLContext.getDefault());
            } catch (NoSuchAlgorithmException e) {
                throw new ConfigurationException("no default TLS context for the amqps broker connection", e);
            }
            factory.enableHostnameVerification();
        }
        return factory;
    }
}
