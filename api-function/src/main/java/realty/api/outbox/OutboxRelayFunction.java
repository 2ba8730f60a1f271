package realty.api.outbox;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.api.ApiFunction;
import realty.core.config.FunctionContexts;
import realty.core.observability.EventMetrics;

/**
 * Scheduled Lambda handler (once a minute): publishes outbox rows still pending (the broker was
 * down, or the API call died between commit and publish), polling for most of the minute
 * ({@link OutboxRelayLoop}). Fails the invocation when its last pass found the broker unreachable,
 * so an outage shows in the function's error metric.
 */
public class OutboxRelayFunction extends MicronautRequestHandler<ScheduledEvent, String> {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelayFunction.class);

    @Inject
    protected OutboxRelayLoop relay;
    @Inject
    protected EventMetrics metrics;

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
        try {
            OutboxRelayLoop.Result r = relay.run();
            LOG.info("outbox relay published {} pending events in {} passes ({} refusal summaries)",
                    r.published(), r.passes(), r.refusalSummaries());
            if (r.lastFailure() != null) {
                throw new IllegalStateException("outbox relay: " + r.lastFailure().getMessage(), r.lastFailure());
            }
            return "published " + r.published();
        } finally {
            metrics.flush(); // the invocation ends here: its metrics go out as one EMF record
        }
    }
}
