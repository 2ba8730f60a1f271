package realty.local.ops;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.audit.AuditFunction;
import realty.core.consumer.EventHandler;
import realty.core.topology.Topology;
import realty.local.HookedHandler;
import realty.core.event.payload.UserCreated;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumer that is attached but acknowledges nothing while its queue grows shows as stalled in
 * queue health and in {@code /health} (targets.md R8), and stops showing once it moves again. The
 * broker's own figures (a consumer, messages in flight) look normal in that state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StalledConsumerTest {
    static final CountDownLatch STUCK = new CountDownLatch(1);
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    /** The real audit function, which hangs on the event of an e-mail starting "stuck" until released. */
    public static class HangingAuditFunction extends AuditFunction {
        public HangingAuditFunction(ApplicationContext ctx) {
            super(ctx);
        }

        @Override
        protected EventHandler handler() {
            return new HookedHandler(super.handler(), (event, context) -> {
                if (String.valueOf(event.payloadAs(UserCreated.class).map(UserCreated::email).orElse(null)).startsWith("stuck")) {
                    STUCK.countDown();
                    assertTrue(RELEASE.await(60, TimeUnit.SECONDS));
                }
            });
        }
    }

    private OpsSystem t;
    private String admin;
    private String company;

    @BeforeAll
    void start() throws Exception {
        t = new OpsSystem(Map.of(Topology.AUDIT, HangingAuditFunction::new),
                Map.of("realty.queue-health.stall-after", "2s"));
        admin = t.adminToken();
        company = t.createCompany(admin, "Stall Agency");
    }

    @AfterAll
    void stop() {
        RELEASE.countDown();
        if (t != null) {
            t.close();
        }
    }

    @Test
    void aConsumerHoldingItsBatchWhileTheQueueGrowsIsStalledInQueueHealthAndHealth() throws Exception {
        t.createUser(admin, "stuck-" + UUID.randomUUID() + "@test.realty.dev", company);
        assertTrue(STUCK.await(20, TimeUnit.SECONDS), "the audit function never got the stuck event");
        // More than the consumer's prefetch (two batches of 50, LocalEventSource reads one ahead), so
        // that some wait as ready.
        List<OpsSystem.Message> backlog = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            String id = UUID.randomUUID().toString();
            backlog.add(new OpsSystem.Message(id, "user.created", Map.of(), "{\"id\":\"" + id + "\"}"));
        }
        t.publish("events", "user.created", backlog);

        Map<String, Object> audit = OpsSystem.eventually(Duration.ofSeconds(30), () -> {
            Map<String, Object> q = t.queueView(admin, "audit_events");
            return Boolean.TRUE.equals(q.get("stalled")) ? q : null;
        });
        assertEquals("failing", audit.get("status"), audit.toString());
        assertTrue(audit.get("reasons").toString().contains("stalled"), audit.toString());
        assertTrue(((Number) audit.get("consumers")).intValue() >= 1, audit.toString());
        OpsSystem.Response health = t.call("GET", "/health", null, null);
        assertEquals(200, health.status());
        assertEquals("DEGRADED", health.body().get("status"), health.body().toString());
        assertEquals(List.of("audit_events"), health.body().get("stalledQueues"), health.body().toString());

        RELEASE.countDown();
        OpsSystem.eventually(Duration.ofSeconds(30), () -> !Boolean.TRUE.equals(t.queueView(admin, "audit_events").get("stalled")));
        OpsSystem.Response after = t.call("GET", "/health", null, null);
        assertEquals(List.of(), after.body().get("stalledQueues"), after.body().toString());
    }
}
