package realty.api.admin;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code realty.queue-health.*}: when a queue counts as degraded or failing (the original runbook:
 * more than 1,000 ready messages is degraded, more than 10,000 failing, any dead letter degraded).
 * A threshold of 0 is never reached.
 */
@ConfigurationProperties("realty.queue-health")
public class QueueHealthSettings {
    private long degradedReady = 1_000;
    private long failingReady = 10_000;
    private long degradedDeadLetters = 1;
    private long failingDeadLetters = 0;
    /** How far back "processed" and "failed" count. */
    private Duration window = Duration.ofMinutes(5);
    /**
     * A queue with a consumer attached, messages held unacknowledged and more waiting, whose function
     * has handled nothing for this long, is stalled (failing); 0 switches the check off.
     */
    private Duration stallAfter = Duration.ofMinutes(2);

    public long getDegradedReady() { return degradedReady; }
    public void setDegradedReady(long degradedReady) { this.degradedReady = degradedReady; }
    public long getFailingReady() { return failingReady; }
    public void setFailingReady(long failingReady) { this.failingReady = failingReady; }
    public long getDegradedDeadLetters() { return degradedDeadLetters; }
    public void setDegradedDeadLetters(long degradedDeadLetters) { this.degradedDeadLetters = degradedDeadLetters; }
    public long getFailingDeadLetters() { return failingDeadLetters; }
    public void setFailingDeadLetters(long failingDeadLetters) { this.failingDeadLetters = failingDeadLetters; }
    public Duration getWindow() { return window; }
    public void setWindow(Duration window) { this.window = window; }
    public Duration getStallAfter() { return stallAfter; }
    public void setStallAfter(Duration stallAfter) { this.stallAfter = stallAfter; }
}
