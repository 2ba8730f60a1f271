package realty.core.topology;

import java.time.Duration;
import java.util.List;

/**
 * How often a queue function tries one message and how long it waits between tries. Delay tier
 * {@code n} (1-based) is a queue of its own whose queue-level TTL is {@code delays[n-1]}.
 *
 * @param maxAttempts total tries including the first delivery
 * @param delays      delay before the 2nd, 3rd, ... try; when shorter than {@code maxAttempts - 1},
 *                    the last delay repeats
 */
public record RetryPolicy(int maxAttempts, List<Duration> delays) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (maxAttempts > 1 && (delays == null || delays.isEmpty())) {
            throw new IllegalArgumentException("a policy with retries needs at least one delay");
        }
        delays = delays == null ? List.of() : List.copyOf(delays);
    }

    /** Number of delay queues to declare. */
    public int tiers() {
        return Math.min(delays.size(), Math.max(0, maxAttempts - 1));
    }

    /** The tier that holds a message before the given (2-based) attempt. */
    public int tierBefore(int nextAttempt) {
        return Math.min(nextAttempt - 1, tiers());
    }

    public Duration delayOfTier(int tier) {
        return delays.get(tier - 1);
    }
}
