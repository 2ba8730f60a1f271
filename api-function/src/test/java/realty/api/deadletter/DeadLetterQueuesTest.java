package realty.api.deadletter;

import com.rabbitmq.client.AMQP;
import org.junit.jupiter.api.Test;
import realty.core.topology.Topology;
import realty.core.topology.WorkQueue;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLetterQueuesTest {
    private final WorkQueue audit = Topology.standard().queueOfFunction(Topology.AUDIT);

    @Test
    void aReplayedCopyStartsAfreshButKeepsItsIdentityAndCountsTheReplay() {
        Map<String, Object> headers = new HashMap<>();
        headers.put("x-attempt", 5);
        headers.put("x-attempts", 5);
        headers.put("x-failure-kind", "attempts-exhausted");
        headers.put("x-exception-message", "boom");
        headers.put("x-death", List.of(Map.of("reason", "expired")));
        headers.put("x-replay-count", 1);
        headers.put("tenant-hint", "kept");
        Date timestamp = new Date(1_700_000_000_000L);
        AMQP.BasicProperties original = new AMQP.BasicProperties.Builder().messageId("e-1").type("user.created")
                .correlationId("req-1").priority(5).timestamp(timestamp).deliveryMode(2).headers(headers).build();

        AMQP.BasicProperties copy = DeadLetterQueues.replayProperties(original, audit);

        assertEquals("e-1", copy.getMessageId());
        assertEquals("user.created", copy.getType());
        assertEquals("req-1", copy.getCorrelationId());
        assertEquals(5, copy.getPriority());
        assertEquals(timestamp, copy.getTimestamp());
        assertEquals(2, copy.getDeliveryMode());
        for (String failure : List.of("x-attempt", "x-attempts", "x-failure-kind", "x-exception-message", "x-death")) {
            assertFalse(copy.getHeaders().containsKey(failure), failure);
        }
        assertEquals(2, copy.getHeaders().get(DeadLetterQueues.REPLAY_COUNT));
        assertEquals("audit_events.dlq", copy.getHeaders().get(DeadLetterQueues.REPLAYED_FROM));
        assertEquals("kept", copy.getHeaders().get("tenant-hint"));
    }

    @Test
    void aMessageWithoutAnIdIsKnownByADigestOfItsBody() {
        String id = DeadLetterQueues.idOf(null, "{not json".getBytes(StandardCharsets.UTF_8));
        assertTrue(id.startsWith("sha256:") && id.length() == "sha256:".length() + 32, id);
        assertEquals(id, DeadLetterQueues.idOf("", "{not json".getBytes(StandardCharsets.UTF_8)));
        assertEquals("e-1", DeadLetterQueues.idOf("e-1", new byte[0]));
    }

    @Test
    void aFilterMatchesOnlyWhatItNames() {
        DeadLetter d = new DeadLetter("e-1", "audit_events.dlq", "audit_events", "user.created", null, null,
                "attempts-exhausted", 5, "audit", "java.sql.SQLTransientException: Timeout", null, 0, 10, Map.of());
        assertTrue(DeadLetterFilter.all().matches(d));
        assertTrue(new DeadLetterFilter("user.created", "attempts-exhausted", "audit", "timeout").matches(d));
        assertFalse(new DeadLetterFilter(null, "permanent", null, null).matches(d));
        assertFalse(new DeadLetterFilter("sale.completed", null, null, null).matches(d));
        assertFalse(new DeadLetterFilter(null, null, null, "deadlock").matches(d));
    }
}
