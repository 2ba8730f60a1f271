package realty.audit;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventCodec;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.UserCreated;
import realty.core.topology.Topology;
import realty.core.topology.TopologyDeclarer;
import realty.localinfra.FunctionTestProperties;
import realty.localinfra.RabbitMQEvents;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The audit function's Lambda handler on the real database and broker. */
@MicronautTest(environments = Topology.AUDIT, transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditFunctionTest implements TestPropertyProvider {
    @Inject
    ApplicationContext ctx;
    @Inject
    DataSource dataSource;
    @Inject
    EventCodec codec;

    private AuditFunction function;
    private final UUID company = UUID.randomUUID();

    /** The pool itself: the injected DataSource hands out connections only inside a transaction. */
    private DataSource db() {
        return ctx.getBean(DataSourceResolver.class).resolve(dataSource);
    }

    @Override
    public Map<String, String> getProperties() {
        return FunctionTestProperties.withNewVirtualHost("audit-function");
    }

    @BeforeAll
    void start() throws Exception {
        ctx.getBean(TopologyDeclarer.class).declare();
        function = new AuditFunction(ctx);
    }

    private EventEnvelope userCreated() {
        String user = UUID.randomUUID().toString();
        return EventEnvelope.create(EventType.USER_CREATED, company, Actor.system("test"), "req-" + user, null,
                new AggregateRef("user", user), new UserCreated(UUID.fromString(user), user + "@example.com", null, null, List.of(), List.of()));
    }

    private RabbitMQEvent batch(List<EventEnvelope> events) {
        return RabbitMQEvents.batch("audit_events", events.stream().map(e -> new RabbitMQEvents.Message(e.id().toString(), e.type(), codec.encode(e))).toList());
    }

    private long auditRows(EventEnvelope e) throws Exception {
        try (Connection c = db().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit_logs WHERE event_id = ? AND event_type = ?")) {
            ps.setObject(1, e.id());
            ps.setString(2, e.type());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void eachAuditedEventGetsOneAuditRowAndARedeliveredBatchWritesNone() throws Exception {
        List<EventEnvelope> events = List.of(userCreated(), userCreated(), userCreated());

        function.handleRequest(batch(events), null);
        function.handleRequest(batch(events), null); // the event source redelivers a batch it thinks failed

        for (EventEnvelope e : events) {
            assertEquals(1, auditRows(e));
        }
    }

    @Test
    void theFunctionNamedAuditRunsTheAuditLogWriter() {
        assertEquals(Topology.AUDIT, function.function());
        assertEquals(AuditLogWriter.class, ctx.getBean(realty.core.consumer.EventHandler.class,
                io.micronaut.inject.qualifiers.Qualifiers.byName(Topology.AUDIT)).getClass());
    }
}
