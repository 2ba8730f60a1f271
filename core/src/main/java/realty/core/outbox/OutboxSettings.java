package realty.core.outbox;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** {@code realty.outbox.*}: how the relay drains pending events. */
@ConfigurationProperties("realty.outbox")
public class OutboxSettings {
    /** Rows locked and published per relay transaction. */
    private int relayBatchSize = 500;
    /** The relay leaves rows younger than this to the API call that wrote them. */
    private Duration relayGrace = Duration.ofMillis(500);
    /**
     * spec/events.md §4: when the broker does not take an API write's events, the API writes their
     * audit rows itself (and records the audit outcome, so the later queued delivery is a no-op).
     */
    private boolean inlineAuditFallback;

    public int getRelayBatchSize() { return relayBatchSize; }
    public void setRelayBatchSize(int relayBatchSize) { this.relayBatchSize = relayBatchSize; }
    public Duration getRelayGrace() { return relayGrace; }
    public void setRelayGrace(Duration relayGrace) { this.relayGrace = relayGrace; }
    public boolean isInlineAuditFallback() { return inlineAuditFallback; }
    public void setInlineAuditFallback(boolean inlineAuditFallback) { this.inlineAuditFallback = inlineAuditFallback; }
}
