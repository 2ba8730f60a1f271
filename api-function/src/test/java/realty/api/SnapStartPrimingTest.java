package realty.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.ApplicationContext;
import io.micronaut.crac.test.CheckpointSimulator;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.broker.BrokerConnection;
import realty.core.consumer.QueueFunctionPrimingCheck;
import realty.localinfra.FunctionTestProperties;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SnapStart checkpoint of the api as micronaut-crac runs it (every registered resource, in
 * reverse order of registration), on the real database and broker: priming answers its requests
 * without writing a row, the pool and the broker connection are closed when the snapshot would be
 * taken, and after the restore the API opens fresh connections and answers.
 */
@MicronautTest(environments = ApiFunction.FUNCTION, startApplication = false, transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapStartPrimingTest implements TestPropertyProvider {
    @Inject
    ApplicationContext ctx;
    @Inject
    DataSource dataSource;
    @Inject
    CheckpointSimulator checkpoint;
    @Inject
    SnapStartPriming priming;
    @Inject
    BrokerConnection broker;

    private Map<String, String> properties;

    @Override
    public Map<String, String> getProperties() {
        if (properties == null) {
            Map<String, String> p = new HashMap<>(FunctionTestProperties.withNewVirtualHost("snapstart-priming"));
            p.put("micronaut.security.token.jwt.signatures.secret.generator.secret", "test-signing-key-of-at-least-thirty-two-bytes!");
            p.put("realty.platform-admin.username", "admin");
            p.put("realty.platform-admin.password", "admin-password-for-tests");
            p.put("realty.security.bcrypt-cost", "4");
            properties = p;
        }
        return properties;
    }

    private HikariDataSource pool() {
        return (HikariDataSource) ctx.getBean(DataSourceResolver.class).resolve(dataSource);
    }

    /** Row counts of every table in the public schema, straight from a connection outside the pool. */
    private Map<String, Long> rowCounts() throws Exception {
        return QueueFunctionPrimingCheck.rowCounts(pool());
    }

    @Test
    void primingBeforeTheSnapshotWritesNothingLeavesNothingOpenAndTheApiAnswersAfterTheRestore() throws Exception {
        // The API as the first request after INIT finds it: the pool holds a connection, the broker connection is open.
        broker.withChannel(channel -> channel.isOpen());
        try (Connection c = pool().getConnection()) {
            assertTrue(c.isValid(2));
        }
        Map<String, Long> before = rowCounts();
        assertFalse(before.isEmpty(), "the migrated schema has tables");

        checkpoint.runBeforeCheckpoint();

        assertEquals(List.of(200, 200, 404), priming.lastStatuses(),
                "the OpenAPI document, the operator page, a miss outside /api: answered without a refusal");
        assertEquals(before, rowCounts(), "priming wrote nothing (no audit row, no outbox event, no refusal window)");
        assertEquals(0, pool().getHikariPoolMXBean().getTotalConnections(), "no pooled connection in the snapshot");
        assertFalse(broker.isConnected(), "no broker connection in the snapshot");

        checkpoint.runAfterRestore();

        APIGatewayV2HTTPResponse doc = new ApiFunction(ctx).handleRequest(SnapStartPriming.events().get(0), new SnapStartPriming.PrimingContext());
        assertEquals(200, doc.getStatusCode());
        assertNotNull(doc.getBody());
        try (Connection c = pool().getConnection()) {
            assertTrue(c.isValid(2), "the pool opens fresh connections after the restore");
        }
        boolean reopened = broker.withChannel(channel -> channel.isOpen());
        assertTrue(reopened, "the broker connection reopens on first use");
    }
}
