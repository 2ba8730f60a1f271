package realty.core.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.MapPropertySource;

import java.util.Map;

/**
 * How every function builds its Micronaut context: the function's name is an active environment
 * (so {@code application-<function>.yml} applies), and in AWS the secrets named by
 * {@code *_SECRET_ARN} variables are loaded first.
 */
public final class FunctionContexts {
    private FunctionContexts() {
    }

    public static ApplicationContextBuilder configure(ApplicationContextBuilder builder, String function) {
        Map<String, Object> secrets = AwsSecrets.fromEnvironment(System.getenv());
        builder.environments(function);
        if (!secrets.isEmpty()) {
            builder.propertySources(MapPropertySource.of("aws-secrets", secrets));
        }
        return builder;
    }

    /** A started context for {@code function} with extra properties, as the local runner and tests use it. */
    public static ApplicationContext start(String function, Map<String, Object> properties, String... environments) {
        return configure(ApplicationContext.builder(), function)
                .environments(environments)
                .properties(properties)
                .deduceEnvironment(false)
                .start();
    }
}
