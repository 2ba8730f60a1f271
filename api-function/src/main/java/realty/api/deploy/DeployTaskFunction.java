package realty.api.deploy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.flyway.FlywayConfigurationProperties;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.flywaydb.core.api.output.MigrateResult;
import realty.api.ApiFunction;
import realty.api.auth.PlatformAdminBootstrap;
import realty.core.broker.BrokerUnavailableException;
import realty.core.config.FunctionContexts;
import realty.core.topology.TopologyDeclarer;

import javax.sql.DataSource;
import java.util.Map;

/**
 * One-shot Lambda handler run on every deploy: applies the Flyway migrations, creates the platform
 * admin's users row if there is none yet ({@link PlatformAdminBootstrap}) and declares the RabbitMQ
 * topology. All are idempotent, so re-running is safe.
 *
 * <p>Both happen in the invocation, never while the function initialises: Lambda gives INIT 10
 * seconds (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib),
 * a migration of a large table can take minutes, and the invocation has the function's timeout.
 * Flyway therefore stays disabled at start-up (application.yml) and is run here with the same
 * {@code flyway.datasources.default} configuration.
 */
public class DeployTaskFunction extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {
    @Inject
    protected TopologyDeclarer topology;
    @Inject
    @Named("default")
    protected FlywayConfigurationProperties flyway;
    @Inject
    protected DataSource dataSource;
    @Inject
    protected PlatformAdminBootstrap platformAdmin;

    public DeployTaskFunction() {
        super();
    }

    public DeployTaskFunction(ApplicationContext context) {
        super(context);
    }

    /** Active on top of {@code api}: application-deploy.yml, the platform admin's first credentials. */
    public static final String ENVIRONMENT = "deploy";

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return FunctionContexts.configure(super.newApplicationContextBuilder(), ApiFunction.FUNCTION).environments(ENVIRONMENT);
    }

    @Override
    public Map<String, Object> execute(Map<String, Object> input) {
        MigrateResult migrations = flyway.getFluentConfiguration()
                .dataSource(DelegatingDataSource.unwrapDataSource(dataSource))
                .load()
                .migrate();
        PlatformAdminBootstrap.Outcome admin = platformAdmin.ensure();
        try {
            topology.declare();
        } catch (BrokerUnavailableException e) {
            throw new IllegalStateException("topology declaration failed: " + e.getMessage(), e);
        }
        return Map.of("migrationsApplied", migrations.migrationsExecuted,
                "schemaVersion", String.valueOf(migrations.targetSchemaVersion != null
                        ? migrations.targetSchemaVersion : migrations.initialSchemaVersion),
                "platformAdmin", admin.name().toLowerCase(java.util.Locale.ROOT),
                "topology", "declared");
    }
}
