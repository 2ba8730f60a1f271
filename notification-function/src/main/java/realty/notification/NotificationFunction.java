package realty.notification;

import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;
import realty.core.consumer.EventHandler;
import realty.core.consumer.QueueFunction;
import realty.core.topology.Topology;

/** Lambda handler for {@code notification_events}. */
public class NotificationFunction extends QueueFunction {
    @Inject
    protected NotificationHandler handler;

    public NotificationFunction() {
        super();
    }

    public NotificationFunction(ApplicationContext context) {
        super(context);
    }

    @Override
    protected String function() {
        return Topology.NOTIFICATION;
    }

    @Override
    protected EventHandler handler() {
        return handler;
    }
}
