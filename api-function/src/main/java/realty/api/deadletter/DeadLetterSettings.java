package realty.api.deadletter;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** {@code realty.dead-letters.*}: bounds of one listing, replay or discard. */
@ConfigurationProperties("realty.dead-letters")
public class DeadLetterSettings {
    /** Messages looked at per request at most; a larger DLQ is worked through by repeated requests. */
    private int maxScan = 10_000;
    /** How long a replay waits for the broker to confirm the copies before it gives up (and acks nothing). */
    private Duration confirmTimeout = Duration.ofSeconds(10);

    public int getMaxScan() { return maxScan; }
    public void setMaxScan(int maxScan) { this.maxScan = maxScan; }
    public Duration getConfirmTimeout() { return confirmTimeout; }
    public void setConfirmTimeout(Duration confirmTimeout) { this.confirmTimeout = confirmTimeout; }
}
