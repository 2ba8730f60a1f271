package realty.core.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event pipeline's meters, tagged per queue and event type:
 *
 * <ul>
 *   <li>{@code realty.events.published} (event_type): confirmed by the broker, from the API or the relay</li>
 *   <li>{@code realty.events.processed}, {@code .retried}, {@code .dead_lettered},
 *       {@code .duplicates_skipped} (queue, event_type): what a consumer did with one delivery</li>
 *   <li>{@code realty.events.handler.latency} (queue, event_type, outcome): time in the handler</li>
 *   <li>{@code realty.outbox.pending} and {@code realty.outbox.oldest_pending_age} (seconds): the
 *       outbox backlog as the relay last saw it</li>
 * </ul>
 *
 * {@link #flush()} ends an invocation: in Lambda it writes what changed as embedded metric format.
 */
@Singleton
public class EventMetrics {
    public static final String PUBLISHED = "realty.events.published";
    public static final String PROCESSED = "realty.events.processed";
    public static final String RETRIED = "realty.events.retried";
    public static final String DEAD_LETTERED = "realty.events.dead_lettered";
    public static final String DUPLICATES = "realty.events.duplicates_skipped";
    public static final String LATENCY = "realty.events.handler.latency";
    public static final String OUTBOX_PENDING = "realty.outbox.pending";
    public static final String OUTBOX_OLDEST_AGE = "realty.outbox.oldest_pending_age";

    /** What a consumer did with one delivery; {@link #label()} is the log's {@code outcome}. */
    public enum Outcome {
        PROCESSED(EventMetrics.PROCESSED),
        RETRIED(EventMetrics.RETRIED),
        DEAD_LETTERED(EventMetrics.DEAD_LETTERED),
        DUPLICATE(EventMetrics.DUPLICATES);

        private final String meter;

        Outcome(String meter) {
            this.meter = meter;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final MeterRegistry registry;
    private final EmbeddedMetricFormat emf;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingMillis = new AtomicLong();
    private final AtomicBoolean backlogRegistered = new AtomicBoolean();

    @Inject
    public EventMetrics(MeterRegistry registry, MetricsSettings settings, @Value("${realty.function:api}") String function) {
        this.registry = registry;
        this.emf = settings.emfEnabled() ? new EmbeddedMetricFormat(settings.getNamespace(), function, System.out::println) : null;
    }

    /** For tests: export to {@code emf} regardless of the environment. */
    public EventMetrics(MeterRegistry registry, EmbeddedMetricFormat emf) {
        this.registry = registry;
        this.emf = emf;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void published(String eventType, int count) {
        Counter.builder(PUBLISHED).description("events confirmed by the broker")
                .tags("event_type", eventType).register(registry).increment(count);
    }

    /** One delivery's outcome in a queue function (or in the API's inline audit fallback). */
    public void handled(String queue, String eventType, Outcome outcome, long durationMicros) {
        Tags tags = Tags.of("queue", queue, "event_type", eventType == null ? "unknown" : eventType);
        Counter.builder(outcome.meter).tags(tags).register(registry).increment();
        if (outcome != Outcome.DUPLICATE) {
            Timer timer = Timer.builder(LATENCY).description("time spent in the handler, per delivery")
                    .tags(tags.and("outcome", outcome.label()))
                    .publishPercentiles(0.5, 0.95)
                    .register(registry);
            timer.record(durationMicros, TimeUnit.MICROSECONDS);
            if (emf != null) {
                emf.sample(timer.getId(), durationMicros / 1000.0);
            }
        }
    }

    /** The outbox backlog: rows still PENDING and how long the oldest has waited. */
    public void outboxBacklog(long pendingCount, Duration oldestPending) {
        if (backlogRegistered.compareAndSet(false, true)) {
            Gauge.builder(OUTBOX_PENDING, pending, AtomicLong::doubleValue).description("outbox rows not yet published")
                    .strongReference(true).register(registry);
            Gauge.builder(OUTBOX_OLDEST_AGE, oldestPendingMillis, v -> v.get() / 1000.0).baseUnit("seconds")
                    .description("age of the oldest unpublished outbox row").strongReference(true).register(registry);
        }
        pending.set(pendingCount);
        oldestPendingMillis.set(oldestPending == null ? 0 : oldestPending.toMillis());
    }

    /** End of an invocation: in Lambda, writes what changed since the last flush. */
    public void flush() {
        if (emf != null) {
            emf.flush(registry);
        }
    }
}
