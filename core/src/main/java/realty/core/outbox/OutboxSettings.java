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
    /**
     * How long one relay invocation keeps polling (0: one pass). Scheduled once a minute in AWS, so
     * just under a minute: pending events go out within about {@link #relayPollEvery} of the broker's
     * return instead of waiting for the next invocation.
     */
    private Duration relayPollFor = Duration.ZERO;
    /** Pause between two passes of one relay invocation. */
    private Duration relayPollEvery = Duration.ofSeconds(1);

    public int getRelayBatchSize() { return relayBatchSize; }
    public void setRelayBatchSize(int relayBatchSize) { this.relayBatchSize = relayBatchSize; }
    public Duration getRelayGrace() { return relayGrace; }
    public void setRelayGrace(Duration relayGrace) { this.relayGrace = relayGrace; }
    public Duration getRelayPollFor() { return relayPollFor; }
    public void setRelayPollFor(Duration relayPollFor) { this.relayPollFor = relayPollFor; }
    public Duration getRelayPollEvery() { return relayPollEvery; }
    public void setRelayPollEvery(Duration relayPollEvery) { this.relayPollEvery = relayPollEvery; }
    public boolean isInlineAuditFallback() { return inlineAuditFallback; }
    public void setInlineAuditFallback(boolean inlineAuditFallback) { this.inlineAuditFallback = inlineAuditFallback; }
}
