package realty.audit;

import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.consumer.QueueFunctionPrimingCheck;
import realty.core.topology.Topology;
import realty.core.topology.TopologyDeclarer;
import realty.localinfra.FunctionTestProperties;

import java.util.HashMap;
import java.util.Map;

/**
 * The SnapStart checkpoint of the audit function on the real database and broker: priming decodes an
 * envelope of every event type of its queue without writing a row, nothing stays open in the snapshot,
 * and the function handles a batch after the restore ({@link QueueFunctionPrimingCheck}, core's test jar).
 */
@MicronautTest(environments = Topology.AUDIT, startApplication = false, transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditSnapStartPrimingTest implements TestPropertyProvider {
    @Inject
    ApplicationContext ctx;
    @Inject
    AuditSnapStartPriming priming;

    private Map<String, String> properties;

    @Override
    public Map<String, String> getProperties() {
        if (properties == null) {
            Map<String, String> p = new HashMap<>(FunctionTestProperties.withNewVirtualHost("audit-snapstart"));
            properties = p;
        }
        return properties;
    }

    @BeforeAll
    void declare() throws Exception {
        ctx.getBean(TopologyDeclarer.class).declare();
    }

    @Test
    void primingBeforeTheSnapshotWritesNothingLeavesNothingOpenAndTheFunctionWorksAfterTheRestore() throws Exception {
        new QueueFunctionPrimingCheck(ctx, Topology.AUDIT).primeCheckpointAndRestore(priming, batch -> new AuditFunction(ctx).execute(batch));
    }
}
