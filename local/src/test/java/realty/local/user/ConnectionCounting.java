package realty.local.user;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts connections taken from the pool by the local gateway's request threads, in the contexts
 * of a test system started with {@value #PROPERTY} (a Hikari metrics tracker, set before the pool starts).
 */
@Singleton
@Requires(property = ConnectionCounting.PROPERTY, value = "true")
public class ConnectionCounting implements BeanCreatedEventListener<DatasourceConfiguration> {
    public static final String PROPERTY = "realty.test.count-connections";
    /** Connections the gateway's threads took, whatever the context. */
    public static final AtomicLong BY_REQUESTS = new AtomicLong();

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        event.getBean().setMetricsTrackerFactory(new MetricsTrackerFactory() {
            @Override
            public IMetricsTracker create(String poolName, PoolStats poolStats) {
                return new IMetricsTracker() {
                    @Override
                    public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
                        if (Thread.currentThread().getName().equals("gateway")) {
                            BY_REQUESTS.incrementAndGet();
                        }
                    }
                };
            }
        });
        return event.getBean();
    }
}
