package realty.core.outbox;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.UserCreated;
import realty.core.topology.TopologyDeclarer;
import realty.localinfra.FunctionTestProperties;

import javax.sql.DataSource;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox publisher on the real database and broker: confirmed means PUBLISHED, a broker down leaves PENDING. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxPublisherTest implements TestPropertyProvider {
    @Inject
    ApplicationContext ctx;
    @Inject
    DataSource dataSource;
    @Inject
    TransactionOperations<Connection> tx;
    @Inject
    Outbox outbox;
    @Inject
    OutboxPublisher publisher;

    private Map<String, String> properties;

    /** The pool itself: the injected DataSource hands out connections only inside a transaction. */
    private DataSource db() {
        return ctx.getBean(DataSourceResolver.class).resolve(dataSource);
    }

    @Override
    public Map<String, String> getProperties() {
        if (properties == null) {
            properties = FunctionTestProperties.withNewVirtualHost("outbox-publisher");
        }
        return properties;
    }

    @BeforeAll
    void declare() throws Exception {
        ctx.getBean(TopologyDeclarer.class).declare();
    }

    private EventEnvelope committed() {
        String user = UUID.randomUUID().toString();
        EventEnvelope e = EventEnvelope.create(EventType.USER_CREATED, UUID.randomUUID(), Actor.system("test"), "req-" + user,
                null, new AggregateRef("user", user), new UserCreated(UUID.fromString(user), user + "@example.com", null, null, List.of(), List.of()));
        tx.executeWrite(status -> {
            outbox.append(status.getConnection(), List.of(e));
            return null;
        });
        return e;
    }

    private String status(EventEnvelope e) throws Exception {
        try (Connection c = db().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status FROM outbox_events WHERE id = ?")) {
            ps.setObject(1, e.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private List<String> bodiesIn(String queue) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        URI uri = URI.create(properties.get("realty.broker.uri"));
        f.setHost(uri.getHost());
        f.setPort(uri.getPort());
        f.setVirtualHost(properties.get("realty.broker.virtual-host"));
        f.setUsername(properties.get("realty.broker.username"));
        f.setPassword(properties.get("realty.broker.password"));
        List<String> bodies = new java.util.ArrayList<>();
        try (com.rabbitmq.client.Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            GetResponse r;
            while ((r = ch.basicGet(queue, true)) != null) {
                bodies.add(new String(r.getBody(), StandardCharsets.UTF_8));
            }
        }
        return bodies;
    }

    @Test
    void anEventTheBrokerConfirmedIsMarkedPublishedAndReachesItsQueues() throws Exception {
        EventEnvelope e = committed();

        assertEquals(List.of(e.id()), publisher.publishCommitted(List.of(e.id())));

        assertEquals("PUBLISHED", status(e));
        List<String> audit = bodiesIn("audit_events");
        assertTrue(audit.stream().anyMatch(b -> b.contains(e.id().toString())), "audit_events has the event");
    }

    @Test
    void withTheBrokerDownTheEventStaysPendingAndTheNextPublishTakesIt() throws Exception {
        EventEnvelope e = committed();
        Map<String, Object> props = new HashMap<>(getProperties());
        props.put("flyway.datasources.default.enabled", "false");
        try (ServerSocket s = new ServerSocket(0)) {
            props.put("realty.broker.uri", "amqp://127.0.0.1:" + s.getLocalPort()); // closed again: nothing listens
        }
        try (ApplicationContext noBroker = ApplicationContext.run(props)) {
            assertEquals(List.of(), noBroker.getBean(OutboxPublisher.class).publishCommitted(List.of(e.id())));
        }
        assertEquals("PENDING", status(e));

        assertEquals(List.of(e.id()), publisher.publishCommitted(List.of(e.id())));
        assertEquals("PUBLISHED", status(e));
    }

    @Test
    void anEventTheBrokerConfirmsIsPublishedWithoutReadingItBack() throws Exception {
        EventEnvelope e = EventEnvelope.create(EventType.USER_CREATED, UUID.randomUUID(), Actor.system("test"), "req-direct",
                null, new AggregateRef("user", "direct"), new UserCreated(UUID.randomUUID(), "direct@example.com", null, null, List.of(), List.of()));
        List<byte[]> bodies = tx.executeWrite(status -> outbox.append(status.getConnection(), List.of(e)));

        assertEquals(List.of(e.id()), publisher.publishCommitted(List.of(e), bodies));

        assertEquals("PUBLISHED", status(e));
        assertTrue(bodiesIn("audit_events").stream().anyMatch(b -> b.contains(e.id().toString())), "audit_events has the event");
    }

    @Test
    void anEventTheBrokerRefusesStaysPendingForTheRelay() throws Exception {
        // A queue bound to the event's routing key that takes nothing: the broker nacks the publish.
        String refusing = "refusing-" + UUID.randomUUID();
        ctx.getBean(realty.core.broker.BrokerConnection.class).withChannel(ch -> {
            ch.queueDeclare(refusing, true, false, false, Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
            ch.queueBind(refusing, realty.core.topology.Topology.EXCHANGE, "user.updated");
            return null;
        });
        try {
            String user = UUID.randomUUID().toString();
            EventEnvelope e = EventEnvelope.create(EventType.USER_UPDATED, UUID.randomUUID(), Actor.system("test"), "req-" + user,
                    null, new AggregateRef("user", user), new realty.core.event.payload.UserUpdated(UUID.fromString(user),
                            new realty.core.event.payload.UserUpdated.Changes(new realty.core.event.payload.Change<>("a", "b"),
                                    null, null, null, null)));
            List<byte[]> bodies = tx.executeWrite(status -> outbox.append(status.getConnection(), List.of(e)));

            assertEquals(List.of(), publisher.publishCommitted(List.of(e), bodies));
            assertEquals("PENDING", status(e));
        } finally {
            ctx.getBean(realty.core.broker.BrokerConnection.class).withChannel(ch -> ch.queueDelete(refusing));
        }
    }
}
