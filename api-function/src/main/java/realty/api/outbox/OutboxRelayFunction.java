package realty.api.outbox;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.api.ApiFunction;
import realty.api.auth.LoginThrottle;
import realty.core.broker.BrokerUnavailableException;
import realty.core.config.FunctionContexts;
import realty.api.security.RefusalAudit;
import realty.core.observability.EventMetrics;
import realty.core.outbox.OutboxPublisher;

/**
 * Scheduled Lambda handler: publishes outbox rows still pending (the broker was down, or the API
 * call died between commit and publish). Fails the invocation while the broker is unreachable, so
 * the failure shows in the function's error metric.
 */
public class OutboxRelayFunction extends MicronautRequestHandler<ScheduledEvent, String> {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelayFunction.class);

    @Inject
    protected OutboxPublisher outbox;
    @Inject
    protected RefusalAudit refusals;
    @Inject
    protected EventMetrics metrics;
    @Inject
    protected LoginThrottle logins;

    public OutboxRelayFunction() {
        super();
    }

    public OutboxRelayFunction(ApplicationContext context) {
        super(context);
    }

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return FunctionContexts.configure(super.newApplicationContextBuilder(), ApiFunction.FUNCTION);
    }

    @Override
    public String execute(ScheduledEvent input) {
        // Summaries of closed refusal windows (security.access_denied beyond the per-source limit)
        // are written as outbox events first, so this same run publishes them.
        try {
            int summaries = refusals.sweep();
            logins.sweep(); // login throttle windows that ended
            int published = outbox.relayPending();
            LOG.info("outbox relay published {} pending events ({} refusal summaries)", published, summaries);
            return "published " + published;
        } catch (BrokerUnavailableException e) {
            throw new IllegalStateException("outbox relay: " + e.getMessage(), e);
        } finally {
            metrics.flush(); // the invocation ends here: its metrics go out as one EMF record
        }
    }
}
