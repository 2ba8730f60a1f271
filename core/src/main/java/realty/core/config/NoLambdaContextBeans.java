package realty.core.config;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.function.aws.DefaultLambdaContextFactory;
import io.micronaut.function.aws.LambdaContextFactory;
import jakarta.inject.Singleton;

/**
 * Micronaut's {@link DefaultLambdaContextFactory} registers each invocation's Lambda
 * {@link Context} and logger as new singletons: every invocation adds bean definitions and each
 * registration scans all of them, so a warm instance leaks memory and slows down with every request
 * it serves (found by the P1 benchmark, see docs/benchmarks.md). Nothing here injects the Lambda
 * context, so the registration is skipped.
 */
@Singleton
@Replaces(DefaultLambdaContextFactory.class)
public class NoLambdaContextBeans implements LambdaContextFactory {
    @Override
    public void registerSingletons(Context context) {
        // deliberately nothing: see the class comment
    }
}
