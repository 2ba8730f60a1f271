package realty.core.observability;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.UUID;

/**
 * The one log line per event handled, on logger {@code realty.events}: request id (the event's
 * correlation id), event id and type, company, function, cold start, outcome and duration. Never
 * the payload, so never a secret.
 */
public final class EventLog {
    public static final String LOGGER = "realty.events";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    /**
     * @param function  the consumer (audit, commission, …), or {@code api} for the inline fallback
     * @param error     the failure, for retried and dead-lettered events
     */
    public record Handled(String function, String queue, String eventId, String eventType, UUID companyId,
                          String requestId, int attempt, EventMetrics.Outcome outcome, long durationMicros,
                          boolean coldStart, String error) {
    }

    private EventLog() {
    }

    public static void write(Handled h) {
        LoggingEventBuilder line = switch (h.outcome()) {
            case PROCESSED, DUPLICATE -> LOG.atInfo();
            case RETRIED -> LOG.atWarn();
            case DEAD_LETTERED -> LOG.atError();
        };
        line.addKeyValue("requestId", h.requestId())
                .addKeyValue("eventId", h.eventId())
                .addKeyValue("eventType", h.eventType())
                .addKeyValue("companyId", h.companyId() == null ? null : h.companyId().toString())
                .addKeyValue("function", h.function())
                .addKeyValue("queue", h.queue())
                .addKeyValue("coldStart", h.coldStart())
                .addKeyValue("attempt", h.attempt())
                .addKeyValue("outcome", h.outcome().label())
                .addKeyValue("durationMs", Math.round(h.durationMicros() / 10.0) / 100.0);
        if (h.error() != null) {
            line.addKeyValue("failure", h.error());
        }
        line.log("{} {} {} {}", h.function(), h.eventType(), h.eventId(), h.outcome().label());
    }
}
