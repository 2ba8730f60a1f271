package realty.core.audit;

import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The archive as an S3 bucket ({@code realty.audit.archive-bucket}), in AWS. core declares the SDK's
 * s3 module optional: only the function that runs retention adds it (measured in docs/operations.md),
 * and this bean exists only where it is on the classpath. Region and credentials come from the
 * Lambda environment (AWS_REGION, the function's role); {@code AWS_ENDPOINT_URL_S3} points it at a
 * stand-in. One PutObject per month file (a single PUT takes up to 5 GB).
 */
@Singleton
@Requires(property = "realty.audit.archive-bucket")
@Requires(classes = S3Client.class)
public class S3AuditArchive implements AuditArchive {
    private final String bucket;
    private final S3Client s3;

    public S3AuditArchive(AuditRetentionSettings settings) {
        this.bucket = settings.getArchiveBucket();
        // The JDK-based HTTP client core already ships for Secrets Manager: no Apache or Netty client in the jar.
        this.s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Override
    public void store(String key, Path file) throws IOException {
        try {
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/x-ndjson")
                    .contentEncoding("gzip").serverSideEncryption(ServerSideEncryption.AES256).build(), RequestBody.fromFile(file));
        } catch (RuntimeException e) {
            throw new IOException("archiving " + key + " to s3://" + bucket + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String locationOf(String key) {
        return "s3://" + bucket + "/" + key;
    }

    @PreDestroy
    void close() {
        s3.close();
    }
}
