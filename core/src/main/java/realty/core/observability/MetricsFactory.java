package realty.core.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The registry every meter goes to: one the runner supplies (the local run shares one Prometheus
 * registry across all its functions) or else a plain in-memory one, which {@link EventMetrics}
 * exports as embedded metric format in Lambda.
 */
@Factory
class MetricsFactory {

    @Singleton
    @Requires(missingBeans = MeterRegistry.class)
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }
}
