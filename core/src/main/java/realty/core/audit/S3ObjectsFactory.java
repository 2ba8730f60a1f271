package realty.core.audit;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;

/**
 * The {@link S3Objects} of the archive bucket. In Lambda the region is AWS_REGION and the credentials
 * are the function role's (the SDK's default chains, read when a request is signed, so rotated
 * session credentials are picked up). Tests against a stand-in set {@code realty.audit.archive-endpoint}
 * (path-style addressing) and register their own {@link AwsCredentialsProvider} bean.
 */
@Factory
public class S3ObjectsFactory {

    @Singleton
    @Requires(property = "realty.audit.archive-bucket")
    S3Objects archiveObjects(AuditRetentionSettings settings, Optional<AwsCredentialsProvider> credentials) {
        String region = settings.getArchiveRegion() != null ? settings.getArchiveRegion()
                : DefaultAwsRegionProviderChain.builder().build().getRegion().id();
        URI endpoint = settings.getArchiveEndpoint() == null ? null : URI.create(settings.getArchiveEndpoint());
        return new S3Objects(endpoint, region, credentials.orElseGet(() -> DefaultCredentialsProvider.builder().build()),
                Clock.systemUTC());
    }
}
