package realty.localinfra;

import java.util.Map;
import java.util.UUID;

/**
 * What a function module's {@code @MicronautTest} returns from its {@code TestPropertyProvider}: the
 * JVM's shared test PostgreSQL (migrated by Flyway when the context starts) and a fresh virtual host
 * of the local RabbitMQ, so that test classes never see each other's messages.
 */
public final class FunctionTestProperties {
    private FunctionTestProperties() {
    }

    /**
     * @param name a prefix for the virtual host, e.g. the test class's simple name
     * @return Micronaut properties: datasource, broker and {@code flyway.datasources.default.enabled}
     */
    public static Map<String, String> withNewVirtualHost(String name) {
        LocalPostgres postgres = LocalPostgres.shared();
        LocalRabbitMq rabbit = LocalRabbitMq.shared();
        String vhost = name + "-" + UUID.randomUUID();
        rabbit.createVirtualHost(vhost);
        return Map.of(
                "datasources.default.url", postgres.jdbcUrl(),
                "datasources.default.username", postgres.username(),
                "datasources.default.password", postgres.password(),
                "flyway.datasources.default.enabled", "true",
                "realty.broker.uri", "amqp://" + rabbit.host() + ":" + rabbit.port(),
                "realty.broker.virtual-host", vhost,
                "realty.broker.username", rabbit.username(),
                "realty.broker.password", rabbit.password());
    }
}
