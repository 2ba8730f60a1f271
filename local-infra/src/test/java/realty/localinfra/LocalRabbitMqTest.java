package realty.localinfra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.Test;

class LocalRabbitMqTest {

    @Test
    void publishesAndConsumesOneMessageInAFreshVirtualHostThenDeletesIt() throws Exception {
        LocalRabbitMq rabbit = LocalRabbitMq.shared();
        // A slash and a space check the URL encoding of the management API paths.
        String vhost = "local-infra test/" + UUID.randomUUID();
        rabbit.createVirtualHost(vhost);
        try {
            byte[] body = "{\"hello\":\"rabbit\"}".getBytes(StandardCharsets.UTF_8);
            try (Connection connection = factory(rabbit, vhost).newConnection("local-infra-test");
                 Channel channel = connection.createChannel()) {
                channel.confirmSelect();
                String queue = channel.queueDeclare("it", true, false, false, null).getQueue();
                channel.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body);
                channel.waitForConfirmsOrDie(10_000);

                GetResponse message = null;
                for (int i = 0; i < 50 && message == null; i++) {
                    message = channel.basicGet(queue, false);
                    if (message == null) {
                        Thread.sleep(100);
                    }
                }
                assertNotNull(message, "no message in " + queue);
                assertArrayEquals(body, message.getBody());
                channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
                assertEquals(0, channel.messageCount(queue));
            }
        } finally {
            rabbit.deleteVirtualHost(vhost);
        }
        assertThrows(Exception.class, () -> factory(rabbit, vhost).newConnection().close(),
                "the deleted virtual host still accepts connections");
        rabbit.deleteVirtualHost(vhost); // deleting again is fine
    }

    @Test
    void sharedIsOnePerJvmAndDescribesItself() {
        LocalRabbitMq rabbit = LocalRabbitMq.shared();
        rabbit.close();
        assertEquals(rabbit, LocalRabbitMq.shared());
        assertNotNull(rabbit.description());
        assertNotNull(rabbit.managementUri());
    }

    @Test
    void readsAnExternalBrokerFromItsUri() {
        LocalRabbitMq rabbit = LocalRabbitMq.fromUri("amqp://app:s%40cret+1@broker.internal:5673/", null, false);
        assertEquals("broker.internal", rabbit.host());
        assertEquals(5673, rabbit.port());
        assertEquals("app", rabbit.username());
        assertEquals("s@cret+1", rabbit.password());
        assertEquals("http://broker.internal:15672", rabbit.managementUri());
    }

    @Test
    void encodesVirtualHostNamesAsOnePathSegment() {
        assertEquals("%2F", LocalRabbitMq.encode("/"));
        assertEquals("a%20b%2Fc", LocalRabbitMq.encode("a b/c"));
    }

    private static ConnectionFactory factory(LocalRabbitMq rabbit, String vhost) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(rabbit.host());
        factory.setPort(rabbit.port());
        factory.setUsername(rabbit.username());
        factory.setPassword(rabbit.password());
        factory.setVirtualHost(vhost);
        factory.setConnectionTimeout(10_000);
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }
}
