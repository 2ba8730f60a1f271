package realty.audit;

import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;
import realty.core.consumer.EventHandler;
import realty.core.consumer.QueueFunction;
import realty.core.topology.Topology;

/** Lambda handler for {@code audit_events}: one audit-log row per audited event. */
public class AuditFunction extends QueueFunction {
    @Inject
    protected AuditLogWriter writer;

    public AuditFunction() {
        super();
    }

    public AuditFunction(ApplicationContext context) {
        super(context);
    }

    @Override
    protected String function() {
        return Topology.AUDIT;
    }

    @Override
    protected EventHandler handler() {
        return writer;
    }
}
