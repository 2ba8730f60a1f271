package realty.commission;

import io.micronaut.context.ApplicationContext;
import realty.core.consumer.QueueFunction;
import realty.core.topology.Topology;

/**
 * Lambda handler for {@code commission_events}: commission splits of bulk sales. Only a name for the
 * generic {@link QueueFunction}, the handler string of Terraform and SAM; the work is done by the {@code @Named("commission")} event handler of this module.
 */
public class CommissionFunction extends QueueFunction {
    public CommissionFunction() {
        super(Topology.COMMISSION);
    }

    public CommissionFunction(ApplicationContext context) {
        super(context, Topology.COMMISSION);
    }
}
