package realty.api.deploy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import realty.api.ApiFunction;
import realty.core.broker.BrokerUnavailableException;
import realty.core.config.FunctionContexts;
import realty.core.topology.TopologyDeclarer;

import java.util.Map;

/**
 * One-shot Lambda handler run on every deploy: applies the Flyway migrations (enabled for this
 * context only) and declares the RabbitMQ topology. Both are idempotent, so re-running is safe.
 */
public class DeployTaskFunction extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {
    @Inject
    protected TopologyDeclarer topology;

    public DeployTaskFunction() {
        super();
    }

    public DeployTaskFunction(ApplicationContext context) {
        super(context);
    }

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        // Flyway runs while the context starts, before execute() is called.
        return FunctionContexts.configure(super.newApplicationContextBuilder(), ApiFunction.FUNCTION)
                .properties(Map.of("flyway.datasources.default.enabled", true));
    }

    @Override
    public Map<String, Object> execute(Map<String, Object> input) {
        try {
            topology.declare();
        } catch (BrokerUnavailableException e) {
            throw new IllegalStateException("topology declaration failed: " + e.getMessage(), e);
        }
        return Map.of("migrations", "applied", "topology", "declared");
    }
}
