package realty.api.outbox;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.api.auth.LoginThrottle;
import realty.api.security.RefusalAudit;
import realty.core.broker.BrokerUnavailableException;
import realty.core.outbox.OutboxPublisher;
import realty.core.outbox.OutboxSettings;

import java.time.Duration;
import java.time.Instant;

/**
 * One relay invocation: relay passes every {@code realty.outbox.relay-poll-every} for
 * {@code realty.outbox.relay-poll-for}. A pass that finds the broker unreachable is retried at the
 * next poll, so events pending during an outage reach the broker about one poll after it returns.
 * Invocations that overlap are safe: each pass locks the rows it publishes with
 * {@code FOR UPDATE SKIP LOCKED} ({@link OutboxPublisher}). Closed refusal windows and ended throttle
 * windows are swept on the first pass and then every {@code realty.outbox.relay-sweep-every} (10 s).
 */
@Singleton
public class OutboxRelayLoop {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelayLoop.class);

    /** What one invocation did; {@code lastFailure} is set when its last pass found the broker unreachable. */
    public record Result(int passes, int published, int refusalSummaries, BrokerUnavailableException lastFailure) {
    }

    private final OutboxPublisher outbox;
    private final RefusalAudit refusals;
    private final LoginThrottle logins;
    private final OutboxSettings settings;
    private final Duration sweepEvery;

    /** @param sweepEvery how often a relay invocation sweeps refusal windows and login windows (and on its first pass) */
    public OutboxRelayLoop(OutboxPublisher outbox, RefusalAudit refusals, LoginThrottle logins, OutboxSettings settings,
                           @Value("${realty.outbox.relay-sweep-every:10s}") Duration sweepEvery) {
        this.outbox = outbox;
        this.refusals = refusals;
        this.logins = logins;
        this.settings = settings;
        this.sweepEvery = sweepEvery;
    }

    /** Polls until {@code realty.outbox.relay-poll-for} has passed (at least one pass) or the thread is interrupted. */
    public Result run() {
        Instant stopAt = Instant.now().plus(settings.getRelayPollFor());
        int summaries = 0;
        int passes = 0;
        int published = 0;
        BrokerUnavailableException failure = null;
        Instant nextSweep = Instant.now();
        while (true) {
            passes++;
            if (!Instant.now().isBefore(nextSweep)) {
                // Summaries of refusal windows that closed (security.access_denied beyond the per-source limit) are
                // written as outbox events and published by this pass: every sweep-every within the invocation, so
                // none waits for the next minute, without two or three statements on every one-second pass.
                nextSweep = Instant.now().plus(sweepEvery);
                try {
                    summaries += refusals.sweep();
                    logins.sweep(); // throttle windows that ended
                } catch (RuntimeException e) {
                    LOG.warn("refusal summaries failed: {}", e.getMessage());
                }
            }
            try {
                int n = outbox.relayPending();
                published += n;
                if (failure != null || n > 0) {
                    LOG.info("outbox relay published {} pending events", n);
                }
                failure = null;
            } catch (BrokerUnavailableException e) {
                if (failure == null) {
                    LOG.warn("outbox relay: broker unavailable, events stay pending ({})", e.getMessage());
                }
                failure = e;
            } catch (RuntimeException e) {
                LOG.warn("outbox relay pass failed: {}", e.getMessage());
            }
            Duration left = Duration.between(Instant.now(), stopAt);
            if (left.compareTo(settings.getRelayPollEvery()) < 0 || Thread.currentThread().isInterrupted()) {
                break;
            }
            try {
                Thread.sleep(settings.getRelayPollEvery().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the local runner is shutting down
                break;
            }
        }
        return new Result(passes, published, summaries, failure);
    }
}
