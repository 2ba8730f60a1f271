package realty.notification;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import realty.core.consumer.QueueFunctionPriming;
import realty.core.topology.Topology;

/**
 * SnapStart priming of the notification function (see {@link QueueFunctionPriming}): runs in the
 * runtime's {@code beforeCheckpoint} hooks when Lambda snapshots a published version, and nowhere
 * else. Only in the function's own environment, so other contexts on a shared class path (the local
 * runner) do not carry it.
 */
@Singleton
@Requires(env = Topology.NOTIFICATION)
public class NotificationSnapStartPriming extends QueueFunctionPriming {
    public NotificationSnapStartPriming(ApplicationContext context) {
        super(context, Topology.NOTIFICATION);
    }
}
