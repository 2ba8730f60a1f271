package realty.audit;

import io.micronaut.context.ApplicationContext;
import realty.core.consumer.QueueFunction;
import realty.core.topology.Topology;

/**
 * Lambda handler for {@code audit_events}: one audit-log row per audited event. Only a name for the
 * generic {@link QueueFunction}, the handler string of Terraform and SAM; the work is done by the {@code @Named("audit")} event handler of this module.
 */
public class AuditFunction extends QueueFunction {
    public AuditFunction() {
        super(Topology.AUDIT);
    }

    public AuditFunction(ApplicationContext context) {
        super(context, Topology.AUDIT);
    }
}
