package realty.core.topology;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.util.List;

/** The topology in force: {@link Topology#standard()} with the retry overrides from configuration. */
@Factory
public class TopologyFactory {

    @Singleton
    Topology topology(List<RetryConfiguration> overrides) {
        Topology topology = Topology.standard();
        for (RetryConfiguration o : overrides) {
            RetryPolicy current = topology.queueOfFunction(o.getFunction()).retry();
            topology = topology.withRetryPolicy(o.getFunction(), new RetryPolicy(
                    o.getMaxAttempts() != null ? o.getMaxAttempts() : current.maxAttempts(),
                    o.getDelays() != null ? o.getDelays() : current.delays()));
        }
        return topology;
    }
}
