package realty.core.audit;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import realty.core.config.AwsCredentials;
import realty.core.config.LambdaCredentials;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * The {@link S3Objects} of the archive bucket. In Lambda the region is AWS_REGION and the credentials
 * are the function role's ({@link LambdaCredentials}, read when a request is signed, so rotated
 * session credentials are picked up). Tests against a stand-in set {@code realty.audit.archive-endpoint}
 * (path-style addressing) and register their own {@link AwsCredentials} bean.
 */
@Factory
public class S3ObjectsFactory {

    @Singleton
    @Requires(property = "realty.audit.archive-bucket")
    S3Objects archiveObjects(AuditRetentionSettings settings, Optional<AwsCredentials> credentials) {
        String region = settings.getArchiveRegion() != null ? settings.getArchiveRegion() : lambdaRegion();
        URI endpoint = settings.getArchiveEndpoint() == null ? null : URI.create(settings.getArchiveEndpoint());
        return new S3Objects(endpoint, region, credentials.orElseGet(LambdaCredentials::fromEnvironment), Clock.systemUTC());
    }

    private static String lambdaRegion() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            region = System.getenv("AWS_DEFAULT_REGION");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("realty.audit.archive-bucket is set but neither realty.audit.archive-region nor AWS_REGION");
        }
        return region;
    }
}
