package realty.notification;

import io.micronaut.context.ApplicationContext;
import realty.core.consumer.QueueFunction;
import realty.core.topology.Topology;

/**
 * Lambda handler for {@code notification_events}: e-mail and webhooks. Only a name for the generic
 * {@link QueueFunction}, the handler string of Terraform and SAM; the work is done by the {@code @Named("notification")} event handler of this module.
 */
public class NotificationFunction extends QueueFunction {
    public NotificationFunction() {
        super(Topology.NOTIFICATION);
    }

    public NotificationFunction(ApplicationContext context) {
        super(context, Topology.NOTIFICATION);
    }
}
