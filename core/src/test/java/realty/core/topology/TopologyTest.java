package realty.core.topology;

import org.junit.jupiter.api.Test;
import realty.core.event.EventType;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopologyTest {
    private final Topology topology = Topology.standard();

    @Test
    void queuesHaveTheArgumentsOfTheSpec() {
        WorkQueue commission = topology.queueOfFunction(Topology.COMMISSION);
        assertEquals("commission_events", commission.name());
        assertEquals(10, commission.maxPriority());
        assertEquals(3, commission.retry().maxAttempts());
        assertEquals(5, topology.queueOfFunction(Topology.AUDIT).maxPriority());
        assertEquals(5, topology.queueOfFunction(Topology.AUDIT).retry().maxAttempts());
        assertEquals(6, topology.queueOfFunction(Topology.NOTIFICATION).retry().maxAttempts());
        assertEquals("audit_events.dlq", topology.queueOfFunction(Topology.AUDIT).deadLetterQueue());
        assertEquals("dlx.audit_events", topology.queueOfFunction(Topology.AUDIT).deadLetterExchange());
    }

    @Test
    void expectedConsumersFollowTheBindings() {
        assertEquals(List.of(Topology.AUDIT, Topology.NOTIFICATION), topology.expectedConsumers(EventType.USER_CREATED));
        assertEquals(List.of(Topology.COMMISSION), topology.expectedConsumers(EventType.COMMISSION_SPLIT_REQUESTED));
    }

    @Test
    void theRetryTierBeforeAnAttemptNeverExceedsTheDeclaredTiers() {
        RetryPolicy policy = new RetryPolicy(6, List.of(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5)));
        assertEquals(2, policy.tiers());
        assertEquals(1, policy.tierBefore(2));
        assertEquals(2, policy.tierBefore(3));
        assertEquals(2, policy.tierBefore(6));
    }
}
