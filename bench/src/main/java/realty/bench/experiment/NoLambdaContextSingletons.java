package realty.bench.experiment;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.function.aws.DefaultLambdaContextFactory;
import io.micronaut.function.aws.LambdaContextFactory;
import jakarta.inject.Singleton;

/**
 * The fix proposed in docs/benchmarks.md for P1, as an opt-in experiment of the benchmark only
 * ({@code scripts/bench.sh --experiments}): Micronaut's {@link DefaultLambdaContextFactory}
 * registers the Lambda {@link Context}, its logger, client context and identity as singletons on
 * every invocation, and each registration scans every bean definition of the context. Nothing in
 * the project injects those, so the registration can be skipped. Active only when the property
 * {@code realty.bench.experiment.skip-lambda-context-singletons} is true, which only the
 * benchmark's experiment runs set; the figures of record never use it.
 */
@Singleton
@Replaces(DefaultLambdaContextFactory.class)
@Requires(property = "realty.bench.experiment.skip-lambda-context-singletons", value = "true")
public class NoLambdaContextSingletons implements LambdaContextFactory {
    @Override
    public void registerSingletons(Context context) {
        // nothing injects the Lambda context: skip the per-invocation bean registration
    }
}
