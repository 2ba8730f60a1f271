package realty.api.outbox;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.broker.BrokerUnavailableException;
import realty.api.auth.LoginThrottle;
import realty.api.security.RefusalAudit;
import realty.core.outbox.OutboxPublisher;

/**
 * The relay on a long-running process (the local runner): every {@code realty.outbox.relay-interval}.
 * In AWS the same work runs from {@link OutboxRelayFunction} on a schedule instead.
 */
@Singleton
@Requires(property = "realty.outbox.relay-interval")
public class ScheduledOutboxRelay {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledOutboxRelay.class);

    private final OutboxPublisher outbox;
    private final RefusalAudit refusals;
    private final LoginThrottle logins;
    private volatile boolean brokerWasDown;

    public ScheduledOutboxRelay(OutboxPublisher outbox, RefusalAudit refusals, LoginThrottle logins) {
        this.outbox = outbox;
        this.refusals = refusals;
        this.logins = logins;
    }

    @Scheduled(fixedDelay = "${realty.outbox.relay-interval}", initialDelay = "${realty.outbox.relay-interval}")
    void relay() {
        try {
            refusals.sweep(); // summaries of closed refusal windows go out with this relay run
            logins.sweep(); // login throttle windows that ended
        } catch (RuntimeException e) {
            LOG.warn("refusal summaries failed: {}", e.getMessage());
        }
        try {
            int published = outbox.relayPending();
            if (published > 0 || brokerWasDown) {
                LOG.info("outbox relay published {} pending events", published);
            }
            brokerWasDown = false;
        } catch (BrokerUnavailableException e) {
            if (!brokerWasDown) {
                LOG.warn("outbox relay: broker unavailable, events stay pending ({})", e.getMessage());
            }
            brokerWasDown = true;
        } catch (RuntimeException e) {
            LOG.warn("outbox relay failed: {}", e.getMessage());
        }
    }
}
