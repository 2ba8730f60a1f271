package realty.local.fault;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.audit.AuditFunction;
import realty.core.consumer.EventHandler;
import realty.core.topology.Topology;
import realty.local.HookedHandler;
import realty.local.TestSystem;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A queue consumer whose broker connection dies while a batch is in flight resumes by itself when
 * the broker is back (targets.md R8). Before the fix the ack on the dead channel ended the event
 * source's worker for good, while the client's automatic recovery re-subscribed a consumer that
 * nobody served: deliveries piled up unacknowledged until the process restarted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerOutageConsumerTest {
    /** Holds the audit of events for e-mails starting "held" until released. */
    static final CountDownLatch IN_FLIGHT = new CountDownLatch(1);
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    public static class HoldingAuditFunction extends AuditFunction {
        public HoldingAuditFunction(ApplicationContext ctx) {
            super(ctx);
        }

        @Override
        protected EventHandler handler() {
            return new HookedHandler(writer, (event, context) -> {
                if (String.valueOf(event.payload().get("email")).startsWith("held") && context.attempt() == 1
                        && IN_FLIGHT.getCount() > 0) {
                    IN_FLIGHT.countDown();
                    assertTrue(RELEASE.await(30, TimeUnit.SECONDS));
                }
            });
        }
    }

    private FaultyLink link;
    private TestSystem t;
    private String admin;
    private String company;

    @BeforeAll
    void start() throws Exception {
        var rabbit = realty.localinfra.LocalRabbitMq.shared();
        link = new FaultyLink(rabbit.host(), rabbit.port());
        t = new TestSystem(link.port(), Map.of(Topology.AUDIT, HoldingAuditFunction::new), Map.of(), true);
        admin = t.adminToken();
        company = t.createCompany(admin, "Broker Outage Agency");
    }

    @AfterAll
    void stop() throws Exception {
        RELEASE.countDown();
        t.close();
        link.close();
    }

    private UUID userCreated(String prefix) throws Exception {
        return t.expect(201, t.createUser(admin, TestSystem.email(prefix), List.of("agent"), List.of(company)))
                .event("user.created");
    }

    private long audited(UUID event) throws Exception {
        return t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", event);
    }

    /** Processed by that queue consumer (the API's inline audit fallback leaves no outcome). */
    private boolean consumed(String consumer, UUID event) throws Exception {
        return t.count("SELECT count(*) FROM consumer_outcomes WHERE consumer = ? AND event_id = ? AND status = 'PROCESSED'",
                consumer, event) == 1;
    }

    @Test
    void theAuditConsumerResumesAfterItsConnectionDiesWithABatchInFlight() throws Exception {
        UUID held = userCreated("held");
        assertTrue(IN_FLIGHT.await(20, TimeUnit.SECONDS), "the held event never reached the audit function");

        link.cut();          // the broker goes away while the batch is being handled
        RELEASE.countDown(); // the handler finishes; its ack meets a dead channel
        Thread.sleep(1_000);
        link.restore();

        UUID after = userCreated("after");
        TestSystem.eventually(Duration.ofSeconds(30), () -> consumed(Topology.AUDIT, after) && consumed(Topology.AUDIT, held)
                && consumed(Topology.NOTIFICATION, after));
        assertTrue(consumed(Topology.AUDIT, after), "audit never consumed an event published after the outage");
        assertTrue(consumed(Topology.NOTIFICATION, after), "notification never consumed an event published after the outage");
        assertTrue(consumed(Topology.AUDIT, held), "the batch in flight during the outage was never completed");
        assertEquals(1, audited(after), "duplicate or missing audit row");
        assertEquals(1, audited(held), "duplicate or missing audit row");
    }
}
