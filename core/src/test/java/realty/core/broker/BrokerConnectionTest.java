package realty.core.broker;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.rabbitmq.connect.ChannelPool;
import io.micronaut.rabbitmq.connect.RabbitConnectionFactoryConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker connection through micronaut-rabbitmq's configuration, against the local broker
 * (127.0.0.1:5672, guest/guest; {@code scripts/rabbitmq.sh start}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerConnectionTest {
    private final String queue = "broker-connection-test-" + UUID.randomUUID();
    private ApplicationContext context;
    private BrokerConnection broker;

    /** The broker beans only: the (eagerly built) pool opens no database connection. */
    static Map<String, Object> withoutDatabase(Object... properties) {
        Map<String, Object> all = new HashMap<>(Map.of(
                "datasources.default.minimum-idle", 0,
                "datasources.default.initialization-fail-timeout", -1));
        for (int i = 0; i < properties.length; i += 2) {
            all.put((String) properties[i], properties[i + 1]);
        }
        return all;
    }

    @BeforeAll
    void start() {
        // The deployment's property names, as the local runner and AwsSecrets set them.
        context = ApplicationContext.run(BrokerConnectionTest.withoutDatabase(
                "realty.broker.uri", "amqp://127.0.0.1:5672",
                "realty.broker.virtual-host", "/",
                "realty.broker.username", "guest",
                "realty.broker.password", "guest"));
        broker = context.getBean(BrokerConnection.class);
    }

    @AfterAll
    void stop() throws Exception {
        broker.withChannel(ch -> ch.queueDelete(queue));
        context.close();
    }

    @Test
    void deploymentPropertiesConfigureTheLibrarysConnectionFactory() {
        RabbitConnectionFactoryConfig factory = context.getBean(RabbitConnectionFactoryConfig.class);
        assertEquals("127.0.0.1", factory.getHost());
        assertEquals(5672, factory.getPort());
        assertEquals("/", factory.getVirtualHost());
        assertEquals(2000, factory.getConnectionTimeout());
        assertEquals(8, factory.getChannelPool().getMaxIdleChannels().orElseThrow());
    }

    @Test
    void anExplicitVirtualHostAndUsernameWinOverTheUris() {
        try (ApplicationContext other = ApplicationContext.run(BrokerConnectionTest.withoutDatabase(
                "realty.broker.uri", "amqp://someone:secret@127.0.0.1:5672/from-uri",
                "realty.broker.virtual-host", "tenant vhost",
                "realty.broker.username", "app"))) {
            RabbitConnectionFactoryConfig factory = other.getBean(RabbitConnectionFactoryConfig.class);
            assertEquals("tenant vhost", factory.getVirtualHost());
            assertEquals("app", factory.getUsername());
        }
    }

    @Test
    void publishedMessagesAreConfirmedAndArrive() throws Exception {
        broker.withChannel(ch -> ch.queueDeclare(queue, false, false, false, null));
        OutgoingMessage message = new OutgoingMessage("", queue, "m-1", "test.published", 3, "c-1",
                Instant.ofEpochSecond(1_700_000_000), Map.of("attempt", 1), "{}".getBytes(StandardCharsets.UTF_8));

        context.getBean(EventPublisher.class).publish(List.of(message));

        GetResponse got = broker.withChannel(ch -> ch.basicGet(queue, true));
        assertNotNull(got, "the confirmed message is not in the queue");
        assertEquals("m-1", got.getProps().getMessageId());
        assertEquals(2, got.getProps().getDeliveryMode(), "not persistent");
        assertEquals(3, got.getProps().getPriority());
        // every pooled channel is in confirm mode, including one that has published before
        assertTrue(broker.withChannel(ch -> ch.getNextPublishSeqNo()) > 0);
    }

    @Test
    void aFailedBatchThrowsSoTheOutboxKeepsItPending() {
        // Publishing to an exchange that does not exist closes the channel: the batch is not confirmed.
        OutgoingMessage message = new OutgoingMessage("no-such-exchange-" + UUID.randomUUID(), "x", "m-2", "t", 0, null,
                null, Map.of(), new byte[0]);
        assertThrows(BrokerUnavailableException.class, () -> context.getBean(EventPublisher.class).publish(List.of(message)));
        assertTrue(broker.ping(), "the connection itself stays usable");
    }

    @Test
    void aSnapshotClosesTheConnectionAndTheNextUseOpensAFreshOne() throws Exception {
        assertTrue(broker.ping());
        Connection before = broker.withChannel(ch -> ch.getConnection());

        broker.beforeCheckpoint(null);

        assertFalse(broker.isConnected(), "a connection would be inside the snapshot");
        assertFalse(before.isOpen());
        broker.afterRestore(null);
        Connection after = broker.withChannel(ch -> ch.getConnection());
        assertNotSame(before, after);
        assertTrue(after.isOpen());
    }

    @Test
    void theLibraryOpensNoConnectionOrConsumerOfItsOwn() {
        assertTrue(broker.ping());
        // micronaut-rabbitmq's Connection bean (and with it any @RabbitListener consumer) cannot be created:
        // the queue functions are fed by the Lambda event source, not by consumers.
        assertTrue(context.getBeanDefinitions(Connection.class).isEmpty());
        assertTrue(context.getBeanDefinitions(ChannelPool.class).isEmpty());
        assertEquals(1, context.getBeanDefinitions(RabbitConnectionFactoryConfig.class).size());
    }

    @Test
    void aLambdaStyleEagerStartWithTheBrokerDownOpensNothingAndSucceeds() {
        // The Lambda runtime starts the context with every singleton initialised eagerly.
        try (ApplicationContext eager = ApplicationContext.builder()
                .properties(withoutDatabase("realty.broker.uri", "amqp://127.0.0.1:1"))
                .eagerInitSingletons(true).eagerInitConfiguration(true).start()) {
            BrokerConnection unreachable = eager.getBean(BrokerConnection.class);
            assertFalse(unreachable.isConnected());
            assertFalse(unreachable.ping());
            assertThrows(BrokerUnavailableException.class, () -> eager.getBean(EventPublisher.class).publish(List.of(
                    new OutgoingMessage("", "q", "m-3", "t", 0, null, null, Map.of(), new byte[0]))));
        }
    }
}
