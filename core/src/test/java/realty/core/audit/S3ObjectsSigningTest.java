package realty.core.audit;

import org.junit.jupiter.api.Test;
import realty.core.config.AwsCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link S3Objects} signs as S3 expects: the examples AWS publishes with their signatures, reproduced
 * with the same (public, documentation-only) key pair, date and request.
 */
class S3ObjectsSigningTest {
    // The documentation's example key pair, not a real credential.
    private static final AwsCredentials EXAMPLE_KEYS = AwsCredentials.of(
            AwsCredentialsIdentity.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    private static final Clock MAY_24_2013 = Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC);

    private final S3Objects s3 = new S3Objects(null, "us-east-1", EXAMPLE_KEYS, MAY_24_2013);

    /**
     * "Example: PUT Object", https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html:
     * a signed payload, and a key whose "$" must be encoded once (%24) in the signed path.
     */
    @Test
    void putObjectMatchesAwsExample() {
        URI ours = s3.objectUri("examplebucket", "test$file.text");
        assertEquals("/test%24file.text", ours.getRawPath());

        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT)
                .uri(URI.create("https://examplebucket.s3.amazonaws.com" + ours.getRawPath()))
                .putHeader("Date", "Fri, 24 May 2013 00:00:00 GMT")
                .putHeader("x-amz-storage-class", "REDUCED_REDUNDANCY").build();
        SignedRequest signed = s3.sign(r -> r.request(request).payload(ContentStreamProvider.fromUtf8String("Welcome to Amazon S3."))
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true));

        assertEquals("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
                signed.request().firstMatchingHeader("x-amz-content-sha256").orElseThrow());
        assertEquals("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                        + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
                        + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
                signed.request().firstMatchingHeader("Authorization").orElseThrow());
    }

    /**
     * The presigned GET of https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
     * ("An example", 86,400 s): only host signed, UNSIGNED-PAYLOAD.
     */
    @Test
    void presignedGetMatchesAwsExample() {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create("https://examplebucket.s3.amazonaws.com/test.txt")).build();
        SignedRequest signed = s3.sign(r -> r.request(request)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofSeconds(86400))
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        String query = signed.request().getUri().getRawQuery();
        assertTrue(query.contains("X-Amz-SignedHeaders=host"), query);
        assertTrue(query.contains("X-Amz-Expires=86400"), query);
        assertTrue(query.contains("X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"), query);
        assertTrue(java.util.Arrays.asList(query.split("&"))
                .contains("X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"), query);
    }

    /** The public presign method yields the same shape for our own addressing (virtual-hosted, region in host). */
    @Test
    void presignGetAddressesTheBucketInTheRegion() {
        URI url = s3.presignGet("realty-audit", "exports/a b+c.ndjson.gz", Duration.ofMinutes(15));
        assertEquals("realty-audit.s3.us-east-1.amazonaws.com", url.getHost());
        assertEquals("/exports/a%20b%2Bc.ndjson.gz", url.getRawPath());
        assertTrue(url.getRawQuery().contains("X-Amz-Expires=900"), url.toString());
    }

    @Test
    void refusesAFileAboveTheSinglePutLimitBeforeSending(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path sparse = dir.resolve("huge");
        try (var ch = java.nio.channels.FileChannel.open(sparse, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            ch.position(S3Objects.MAX_SINGLE_PUT_BYTES).write(java.nio.ByteBuffer.wrap(new byte[]{1}));
        }
        // An endpoint nobody listens on: the refusal must come before any connection.
        S3Objects nowhere = new S3Objects(URI.create("http://127.0.0.1:1"), "us-east-1", EXAMPLE_KEYS, Clock.systemUTC());
        IOException e = assertThrows(IOException.class, () -> nowhere.put("b", "k", sparse, Map.of()));
        assertTrue(e.getMessage().contains("single PutObject limit"), e.getMessage());
        assertTrue(Files.size(sparse) > S3Objects.MAX_SINGLE_PUT_BYTES);
    }
}
