package realty.core.audit;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The archive as an S3 bucket ({@code realty.audit.archive-bucket}), in AWS: one PutObject per month
 * file through {@link S3Objects} (SigV4 with the SDK's signer already in every jar, no s3 module),
 * SSE-S3 encrypted, the body's SHA-256 signed so S3 stores exactly the bytes written. A month above
 * 5 GiB (S3's single-PUT limit) is refused before anything is sent, and so is not dropped.
 */
@Singleton
@Requires(beans = S3Objects.class)
@Requires(property = "realty.audit.archive-bucket")
public class S3AuditArchive implements AuditArchive {
    private final String bucket;
    private final S3Objects s3;

    public S3AuditArchive(AuditRetentionSettings settings, S3Objects s3) {
        this.bucket = settings.getArchiveBucket();
        this.s3 = s3;
    }

    @Override
    public void store(String key, Path file) throws IOException {
        // application/gzip rather than Content-Encoding: gzip, so a download keeps the .gz bytes as named.
        s3.put(bucket, key, file, Map.of("Content-Type", "application/gzip"));
    }

    @Override
    public void store(String key, Path file, String contentType) throws IOException {
        s3.put(bucket, key, file, Map.of("Content-Type", contentType));
    }

    /** Presigned with this function's role: the role must be allowed s3:GetObject on the key (infra: exports/*). */
    @Override
    public Optional<URI> downloadUrl(String key, Duration validFor) {
        return Optional.of(s3.presignGet(bucket, key, validFor));
    }

    @Override
    public String locationOf(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
