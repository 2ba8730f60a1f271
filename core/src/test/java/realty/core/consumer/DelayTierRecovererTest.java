package realty.core.consumer;

import org.junit.jupiter.api.Test;
import realty.core.broker.OutgoingMessage;
import realty.core.topology.Topology;
import realty.core.topology.WorkQueue;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DelayTierRecovererTest {
    private final DelayTierRecoverer recoverer = new DelayTierRecoverer();
    private final WorkQueue audit = Topology.standard().queueOfFunction(Topology.AUDIT); // 5 attempts, 4 tiers

    private static ReceivedMessage message(Map<String, Object> headers) {
        return new ReceivedMessage("audit_events", "m-1", "user.created", 5, "req-1", headers, new byte[]{1}, false, null, null);
    }

    @Test
    void aFirstFailureGoesToTheFirstDelayTierWithTheNextAttemptNumber() {
        OutgoingMessage out = recoverer.recover(message(Map.of()), audit,
                FailedAttempt.of(1, false, new IllegalStateException("boom"), "audit"));
        assertEquals("", out.exchange());
        assertEquals("audit_events.retry.1", out.routingKey());
        assertEquals(2, out.headers().get(ReceivedMessage.ATTEMPT_HEADER));
        assertEquals("user.created", out.type());
        assertEquals(5, out.priority());
    }

    @Test
    void laterFailuresUseLongerTiersAndTheLastAttemptGoesToTheDlqWithFailureHeaders() {
        assertEquals("audit_events.retry.4", recoverer.recover(message(Map.of("x-attempt", 4)), audit,
                FailedAttempt.of(4, false, new RuntimeException("x"), "audit")).routingKey());
        FailedAttempt last = FailedAttempt.of(5, false, new RuntimeException("still down"), "audit");
        assertTrue(recoverer.isFinal(audit, last));
        OutgoingMessage dead = recoverer.recover(message(Map.of("x-attempt", 5, "x-first-failure-at", "earlier")), audit, last);
        assertEquals("dlx.audit_events", dead.exchange());
        assertEquals("user.created", dead.routingKey());
        assertEquals("attempts-exhausted", dead.headers().get("x-failure-kind"));
        assertEquals(5, dead.headers().get("x-attempts"));
        assertEquals("earlier", dead.headers().get("x-first-failure-at"), "first failure time is kept across retries");
        assertEquals("java.lang.RuntimeException", dead.headers().get("x-exception-class"));
        assertEquals("still down", dead.headers().get("x-exception-message"));
        assertEquals("audit", dead.headers().get("x-failed-function"));
    }

    @Test
    void permanentFailuresSkipTheRetries() {
        FailedAttempt permanent = FailedAttempt.of(1, true, new PermanentFailureException("bad version"), "audit");
        assertTrue(recoverer.isFinal(audit, permanent));
        assertFalse(recoverer.isFinal(audit, FailedAttempt.of(1, false, new RuntimeException(), "audit")));
        assertEquals("permanent", recoverer.recover(message(Map.of()), audit, permanent).headers().get("x-failure-kind"));
    }
}
