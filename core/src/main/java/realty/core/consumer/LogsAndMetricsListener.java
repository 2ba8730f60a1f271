package realty.core.consumer;

import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.event.EventEnvelope;
import realty.core.observability.EventLog;
import realty.core.observability.EventMetrics;
import realty.core.topology.WorkQueue;

/** One log line ({@link EventLog}) and the meters ({@link EventMetrics}) per message handled. */
@Singleton
@Secondary
public class LogsAndMetricsListener implements ConsumerListener {
    private static final Logger LOG = LoggerFactory.getLogger(LogsAndMetricsListener.class);

    private final EventMetrics metrics;

    public LogsAndMetricsListener(EventMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void onMessage(WorkQueue queue, MessageOutcome o, boolean coldStart) {
        ReceivedMessage m = o.message();
        EventEnvelope e = m.envelope();
        String error = o.failure() == null ? null : o.failure().describe();
        EventLog.Handled h = e == null
                ? new EventLog.Handled(queue.function(), queue.name(), m.messageId(), m.type(), null, m.correlationId(),
                        o.attempt(), o.outcome(), o.durationMicros(), coldStart, error)
                : new EventLog.Handled(queue.function(), queue.name(), e.id().toString(), e.type(), e.companyId(),
                        e.correlationId(), o.attempt(), o.outcome(), o.durationMicros(), coldStart, error);
        metrics.handled(h.queue(), h.eventType(), h.outcome(), h.durationMicros());
        EventLog.write(h);
    }

    @Override
    public void onRedelivery(WorkQueue queue, BatchResult.Redeliver r) {
        LOG.error("{}: batch of {} failed, it will be redelivered: {}", queue.function(), r.messages(), r.reason());
    }
}
