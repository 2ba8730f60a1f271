package realty.local.fault;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.audit.AuditFunction;
import realty.commission.CommissionFunction;
import realty.core.consumer.EventHandler;
import realty.core.event.EventEnvelope;
import realty.core.topology.Topology;
import realty.local.HookedHandler;
import realty.local.TestSystem;
import realty.notification.NotificationFunction;
import realty.core.event.payload.UserCreated;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker connection dies while every queue function has a batch in flight (targets.md R1, R8):
 * each consumer must resume by itself, and every committed event must be processed exactly once in
 * effect, those in flight during the outage and those published after it. Before the fix the ack
 * on the dead channel ended each local event source's worker for good, while the client's
 * automatic recovery re-subscribed a consumer that nobody served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerOutageTest {
    static final CountDownLatch IN_FLIGHT = new CountDownLatch(3);
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    /** Holds, once, the first delivery of an event marked "held" until the outage is under way. */
    static EventHandler holding(EventHandler real, CountDownLatch seen) {
        return new HookedHandler(real, (event, context) -> {
            if (held(event) && context.attempt() == 1 && seen.getCount() > 0) {
                seen.countDown();
                IN_FLIGHT.countDown();
                assertTrue(RELEASE.await(30, TimeUnit.SECONDS));
            }
        });
    }

    static boolean held(EventEnvelope event) {
        return String.valueOf(event.payloadAs(UserCreated.class).map(UserCreated::email).orElse(null)).startsWith("held")
                || (event.correlationId() != null && event.correlationId().startsWith("held"));
    }

    public static class HoldingAudit extends AuditFunction {
        static final CountDownLatch SEEN = new CountDownLatch(1);

        public HoldingAudit(ApplicationContext ctx) {
            super(ctx);
        }

        @Override
        protected EventHandler handler() {
            return holding(super.handler(), SEEN);
        }
    }

    public static class HoldingNotification extends NotificationFunction {
        static final CountDownLatch SEEN = new CountDownLatch(1);

        public HoldingNotification(ApplicationContext ctx) {
            super(ctx);
        }

        @Override
        protected EventHandler handler() {
            return holding(super.handler(), SEEN);
        }
    }

    public static class HoldingCommission extends CommissionFunction {
        static final CountDownLatch SEEN = new CountDownLatch(1);

        public HoldingCommission(ApplicationContext ctx) {
            super(ctx);
        }

        @Override
        protected EventHandler handler() {
            return holding(super.handler(), SEEN);
        }
    }

    private FaultyLink link;
    private TestSystem t;
    private String admin;
    private String company;
    private String owner;
    private UUID agent;

    @BeforeAll
    void start() throws Exception {
        var rabbit = realty.localinfra.LocalRabbitMq.shared();
        link = new FaultyLink(rabbit.host(), rabbit.port());
        t = new TestSystem(link.port(), Map.of(Topology.AUDIT, HoldingAudit::new, Topology.NOTIFICATION, HoldingNotification::new,
                Topology.COMMISSION, HoldingCommission::new), Map.of(), true);
        admin = t.adminToken();
        company = t.createCompany(admin, "Broker Outage Agency");
        String ownerEmail = TestSystem.email("owner");
        t.expect(201, t.createUser(admin, ownerEmail, List.of("owner"), List.of(company)));
        owner = t.login(ownerEmail, TestSystem.PASSWORD);
        agent = UUID.randomUUID();
        t.execute("INSERT INTO agents (id, company_id, name) VALUES (?, ?::uuid, ?)", agent, company, "Agent " + agent);
        t.expect(201, t.call("POST", "/api/v1/commission-rules", owner, Map.of("agentId", agent.toString(),
                "transactionType", "sale", "structure", "percentage", "percentage", 6, "validFrom", "2020-01-01")));
    }

    @AfterAll
    void stop() throws Exception {
        RELEASE.countDown();
        t.close();
        link.close();
    }

    private UUID property() throws Exception {
        UUID id = UUID.randomUUID();
        t.execute("INSERT INTO properties (id, company_id, reference_code, title, type, price, agent_id, created_by) "
                + "VALUES (?, ?::uuid, ?, 'House', 'house', 500000, ?, 'outage-test')", id, company, "OUT-" + id, agent);
        return id;
    }

    /**
     * A user (audit and notification) and a bulk sale of one property (commission), marked by the
     * e-mail and the request id: [user.created event, commission.split.requested event, property].
     */
    private List<UUID> writes(String marker) throws Exception {
        UUID user = t.expect(201, t.createUser(admin, marker + "-" + UUID.randomUUID() + "@test.realty.dev",
                List.of("agent"), List.of(company))).event("user.created");
        UUID property = property();
        UUID split = t.expect(202, t.callWithRequestId(marker + "-" + UUID.randomUUID(), "POST", "/api/v1/sales/bulk", owner,
                Map.of("sales", List.of(Map.of("propertyId", property.toString(), "salePrice", 500000,
                        "saleDate", "2024-06-01", "buyerName", "Buyer"))))).event("commission.split.requested");
        return List.of(user, split, property);
    }

    private long transactions(UUID property) throws Exception {
        return t.count("SELECT count(*) FROM commission_transactions t JOIN sales s ON s.id = t.sale_id WHERE s.property_id = ?",
                property);
    }

    private boolean processed(String consumer, UUID event) throws Exception {
        return t.count("SELECT count(*) FROM consumer_outcomes WHERE consumer = ? AND event_id = ? AND status = 'PROCESSED'",
                consumer, event) == 1;
    }

    private boolean allProcessed(List<UUID> writes) throws Exception {
        return processed(Topology.AUDIT, writes.get(0)) && processed(Topology.NOTIFICATION, writes.get(0))
                && processed(Topology.COMMISSION, writes.get(1));
    }

    @Test
    void everyQueueConsumerResumesAfterItsConnectionDiesWithABatchInFlight() throws Exception {
        List<UUID> held = writes("held");
        assertTrue(IN_FLIGHT.await(30, TimeUnit.SECONDS), "not every queue function got its held event: audit "
                + HoldingAudit.SEEN.getCount() + ", notification " + HoldingNotification.SEEN.getCount()
                + ", commission " + HoldingCommission.SEEN.getCount() + " still waiting");

        link.cut();          // the broker goes away while all three batches are being handled
        RELEASE.countDown(); // the handlers finish; their acks meet dead channels
        Thread.sleep(1_000);
        link.restore();

        List<UUID> after = writes("after");
        TestSystem.eventually(Duration.ofSeconds(45), Duration.ofMillis(250), () -> allProcessed(held) && allProcessed(after));
        for (List<UUID> w : List.of(held, after)) {
            assertTrue(processed(Topology.AUDIT, w.get(0)), "audit never processed " + w.get(0));
            assertTrue(processed(Topology.NOTIFICATION, w.get(0)), "notification never processed " + w.get(0));
            assertTrue(processed(Topology.COMMISSION, w.get(1)), "commission never processed " + w.get(1));
            assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", w.get(0)), "audit rows");
            assertEquals(1, t.count("SELECT count(*) FROM sent_notifications WHERE event_id = ? AND status = 'SENT'", w.get(0)),
                    "welcome e-mails");
        }
        // The same rule splits both sales: the one in flight has exactly as many transactions as the later one.
        assertTrue(transactions(after.get(2)) >= 1, "no commission transaction for the later sale");
        assertEquals(transactions(after.get(2)), transactions(held.get(2)), "transactions of the sale in flight");
    }
}
