package realty.local;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.topology.Topology;
import realty.core.event.payload.UserCreated;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The real audit function's batch path: one multi-row insert per batch, and a bad message isolated without losing the rest. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditBatchTest {
    private TestSystem t;
    private UUID company;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        company = UUID.fromString(t.createCompany(t.adminToken(), "Batch audit"));
    }

    @AfterAll
    void stop() {
        t.close();
    }

    private EventEnvelope event(int version) {
        String user = UUID.randomUUID().toString();
        return new EventEnvelope(UUID.randomUUID(), EventType.USER_CREATED.typeName(), version, Instant.now(), company,
                Actor.system("test"), "req-batch", null, new AggregateRef("user", user),
                new UserCreated(UUID.fromString(user), "batch@x.dev", null, null, List.of(), List.of()));
    }

    private void deliver(List<EventEnvelope> events) {
        List<RabbitMQEvent.RabbitMessage> messages = new ArrayList<>();
        for (EventEnvelope e : events) {
            messages.add(TestSystem.message(e.id().toString(), e.type(), 5, e.correlationId(), t.encode(e)));
        }
        t.system.queueFunction(Topology.AUDIT).handleRequest(TestSystem.batch("audit_events", messages),
                TestSystem.lambdaContext("audit-function"));
    }

    private long audited(EventEnvelope e) throws Exception {
        return t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", e.id());
    }

    @Test
    void aWholeBatchIsWrittenOnceAndARedeliveryWritesNothing() throws Exception {
        List<EventEnvelope> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(event(1));
        }
        deliver(events);
        deliver(events);
        for (EventEnvelope e : events) {
            assertEquals(1, audited(e));
        }
        assertEquals(200, t.count("SELECT count(*) FROM consumer_outcomes WHERE consumer = 'audit' AND status = 'PROCESSED' "
                + "AND event_id = ANY(?::uuid[])", (Object) events.stream().map(e -> e.id().toString()).toArray(String[]::new)));
    }

    @Test
    void aBadMessageInABatchIsIsolatedAndTheOthersAreWritten() throws Exception {
        EventEnvelope first = event(1);
        EventEnvelope unsupported = event(99);
        EventEnvelope last = event(1);

        deliver(List.of(first, unsupported, last));

        assertEquals(1, audited(first));
        assertEquals(1, audited(last));
        assertEquals(0, audited(unsupported));
        assertEquals(1, t.count("SELECT count(*) FROM consumer_outcomes WHERE event_id = ? AND status = 'DEAD'", unsupported.id()));
    }
}
