package realty.audit;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventCodec;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.UserCreated;
import realty.core.observability.EventMetrics;
import realty.core.topology.Topology;
import realty.core.topology.TopologyDeclarer;
import realty.localinfra.FunctionTestProperties;
import realty.localinfra.RabbitMQEvents;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics of an invocation are written (CloudWatch embedded metric format, on stdout as in
 * Lambda) when that invocation ends, not at some later publish.
 */
@MicronautTest(environments = Topology.AUDIT, transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditFunctionMetricsTest implements TestPropertyProvider {
    @Inject
    ApplicationContext ctx;
    @Inject
    EventCodec codec;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private PrintStream original;
    private AuditFunction function;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(FunctionTestProperties.withNewVirtualHost("audit-metrics"));
        p.put("realty.metrics.emf", "true");
        return p;
    }

    @BeforeAll
    void start() throws Exception {
        ctx.getBean(TopologyDeclarer.class).declare();
        // Before the metrics bean exists: it binds its output stream when it is created.
        original = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        function = new AuditFunction(ctx);
    }

    @AfterAll
    void restore() {
        System.setOut(original);
    }

    private RabbitMQEvent oneUserCreated() {
        String user = UUID.randomUUID().toString();
        EventEnvelope e = EventEnvelope.create(EventType.USER_CREATED, UUID.randomUUID(), Actor.system("test"), "req-" + user,
                null, new AggregateRef("user", user), new UserCreated(UUID.fromString(user), user + "@example.com", null, null, List.of(), List.of()));
        return RabbitMQEvents.batch("audit_events", List.of(new RabbitMQEvents.Message(e.id().toString(), e.type(), codec.encode(e))));
    }

    /** The EMF records written since the last call that count processed events. */
    private List<String> processedRecords() {
        String out = stdout.toString(StandardCharsets.UTF_8);
        stdout.reset();
        return out.lines().filter(l -> l.contains("\"_aws\"") && l.contains(EventMetrics.PROCESSED)).toList();
    }

    @Test
    void eachInvocationWritesItsOwnMetricsWhenItEnds() {
        processedRecords();

        function.handleRequest(oneUserCreated(), null);
        assertTrue(!processedRecords().isEmpty(), "the first invocation's processed count was written when it ended");

        function.handleRequest(oneUserCreated(), null);
        assertTrue(!processedRecords().isEmpty(), "so was the second's");
    }
}
