package realty.api.admin;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.broker.BrokerUnavailableException;
import realty.localinfra.LocalRabbitMq;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Queue figures through the declarative management client, against the local broker's management API,
 * in a virtual host whose name needs encoding (a slash and a space, as "/" itself does).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerManagementTest {
    private final String vhost = "mgmt test/" + UUID.randomUUID();
    private final String queue = "figures-" + UUID.randomUUID();
    private LocalRabbitMq rabbit;

    @BeforeAll
    void queueWithAMessage() throws Exception {
        rabbit = LocalRabbitMq.shared();
        rabbit.createVirtualHost(vhost);
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(rabbit.host());
        f.setPort(rabbit.port());
        f.setUsername(rabbit.username());
        f.setPassword(rabbit.password());
        f.setVirtualHost(vhost);
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            ch.queueDeclare(queue, true, false, false, null);
            ch.basicPublish("", queue, new AMQP.BasicProperties.Builder().timestamp(new java.util.Date()).build(), new byte[0]);
        }
    }

    @AfterAll
    void removeVirtualHost() {
        rabbit.deleteVirtualHost(vhost);
    }

    private ApplicationContext api(String managementUri, String password) {
        return ApplicationContext.builder().environments("api").properties(Map.of(
                "datasources.default.minimum-idle", 0,
                "datasources.default.initialization-fail-timeout", -1,
                "micronaut.security.token.jwt.signatures.secret.generator.secret", "0123456789abcdef0123456789abcdef",
                "realty.broker.uri", "amqp://" + rabbit.host() + ":" + rabbit.port(),
                "realty.broker.virtual-host", vhost,
                "realty.broker.username", rabbit.username(),
                "realty.broker.password", password,
                "realty.management.uri", managementUri)).start();
    }

    @Test
    void listsTheQueuesOfTheBrokersVirtualHostWithTheBrokersCredentials() throws Exception {
        try (ApplicationContext context = api(rabbit.managementUri(), rabbit.password())) {
            Map<String, BrokerManagement.QueueFigures> queues = context.getBean(BrokerManagement.class).queues();
            assertEquals(1, queues.size(), queues.toString());
            assertTrue(queues.containsKey(queue), queues.toString());
        }
    }

    @Test
    void wrongCredentialsAreAnUnavailableBrokerWithTheStatus() {
        try (ApplicationContext context = api(rabbit.managementUri(), "not-the-password")) {
            BrokerUnavailableException e = assertThrows(BrokerUnavailableException.class,
                    () -> context.getBean(BrokerManagement.class).queues());
            assertEquals("management API answered HTTP 401", e.getMessage());
        }
    }

    @Test
    void anUnreachableManagementApiIsAnUnavailableBroker() {
        try (ApplicationContext context = api("http://127.0.0.1:1", rabbit.password())) {
            BrokerUnavailableException e = assertThrows(BrokerUnavailableException.class,
                    () -> context.getBean(BrokerManagement.class).queues());
            assertTrue(e.getMessage().startsWith("management API unreachable"), e.getMessage());
        }
    }
}
