package realty.commission;

import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;
import realty.core.consumer.EventHandler;
import realty.core.consumer.QueueFunction;
import realty.core.topology.Topology;

/** Lambda handler for {@code commission_events}. */
public class CommissionFunction extends QueueFunction {
    @Inject
    protected CommissionHandler handler;

    public CommissionFunction() {
        super();
    }

    public CommissionFunction(ApplicationContext context) {
        super(context);
    }

    @Override
    protected String function() {
        return Topology.COMMISSION;
    }

    @Override
    protected EventHandler handler() {
        return handler;
    }
}
