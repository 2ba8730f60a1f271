package realty.core.audit;

import realty.core.aws.SignedRequests;
import realty.core.config.AwsCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two S3 calls the project needs, PutObject and a presigned GetObject URL, without the SDK's s3
 * module (+4.1 MB per jar, docs/operations.md): requests are signed with the SDK's own SigV4 signer
 * (module http-auth-aws, which realty.core.config.AwsSecrets uses too) and sent with the JDK's
 * HttpClient ({@link SignedRequests}).
 *
 * <p>Signing follows S3's rules (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html):
 * the key is URI-encoded once (no double encoding, no path normalisation), and a PUT carries the
 * SHA-256 of its body in {@code x-amz-content-sha256} (a signed payload, so S3 refuses a body changed
 * on the way: XAmzContentSHA256Mismatch). A presigned URL signs only {@code host} and uses
 * {@code UNSIGNED-PAYLOAD} (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
 * {@code S3ObjectsSigningTest} checks both against the signatures of those two pages.
 *
 * <p>The JDK client rather than the SDK's UrlConnectionHttpClient: the latter never sets a fixed-length
 * streaming mode, so HttpURLConnection would buffer a whole month's archive in the heap before sending.
 */
public final class S3Objects {
    /** S3's limit for one PutObject (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html). */
    public static final long MAX_SINGLE_PUT_BYTES = 5L * 1024 * 1024 * 1024;
    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]{1,100})</Code>");

    private final URI endpoint;
    private final boolean pathStyle;
    private final String region;
    private final SignedRequests aws;

    /**
     * @param endpoint null for AWS itself ({@code https://<bucket>.s3.<region>.amazonaws.com}, virtual-hosted
     *                 style); otherwise a stand-in's base URL, addressed path style ({@code <endpoint>/<bucket>/<key>})
     */
    public S3Objects(URI endpoint, String region, AwsCredentials credentials, Clock clock) {
        this.endpoint = endpoint;
        this.pathStyle = endpoint != null;
        this.region = region;
        this.aws = new SignedRequests("s3", region, credentials::resolve, clock, Duration.ofSeconds(5));
    }

    /** Where an object lives: the request's URI, with the key encoded once as S3 signs it. */
    URI objectUri(String bucket, String key) {
        String path = "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
        if (pathStyle) {
            String base = endpoint.toString().replaceAll("/+$", "");
            return URI.create(base + "/" + bucket + path);
        }
        return URI.create("https://" + bucket + ".s3." + region + ".amazonaws.com" + path);
    }

    /**
     * PutObject of a file with a signed payload, SSE-S3 encrypted. Returns once S3 answered 200 (the
     * object is then durably stored); any other answer is an IOException naming S3's error code.
     * Refuses files above S3's single-PUT limit of 5 GiB: multipart upload is not implemented (one month
     * of audit rows is far smaller: about 50 MB gzip'd per million rows).
     */
    public void put(String bucket, String key, Path file, Map<String, String> headers) throws IOException {
        long size = Files.size(file);
        if (size > MAX_SINGLE_PUT_BYTES) {
            throw new IOException("s3://" + bucket + "/" + key + ": " + size + " bytes is above the single PutObject limit of "
                    + MAX_SINGLE_PUT_BYTES + " bytes (5 GiB); multipart upload is not implemented");
        }
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(objectUri(bucket, key))
                .putHeader("x-amz-server-side-encryption", "AES256");
        headers.forEach(request::putHeader);
        SignedRequest signed = sign(r -> r.request(request.build())
                .payload(ContentStreamProvider.fromInputStreamSupplier(() -> open(file)))
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true));
        HttpRequest send = SignedRequests.toJdk(signed.request()).timeout(Duration.ofMinutes(10))
                .expectContinue(true) // S3 can refuse (auth, bucket) before the body is sent
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
        HttpResponse<String> response = send(send, bucket, key);
        if (response.statusCode() != 200) {
            throw new IOException("PutObject s3://" + bucket + "/" + key + " answered " + response.statusCode() + " " + errorCode(response.body()));
        }
    }

    /**
     * A presigned GetObject URL valid for {@code expiry} (1 s to 7 days, SigV4's bounds). Anyone holding it
     * can read the object until then, so keep it short and hand it only to the requester.
     */
    public URI presignGet(String bucket, String key, Duration expiry) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(objectUri(bucket, key)).build();
        SignedRequest signed = sign(r -> r.request(request)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, expiry)
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        return signed.request().getUri();
    }

    /** Signs with S3's settings; package-private so the signing test can sign AWS's published examples. */
    SignedRequest sign(Consumer<SignRequest.Builder<AwsCredentialsIdentity>> more) {
        return aws.sign(r -> {
            more.accept(r);
            // S3 signs the path as sent: encoded once, "." and ".." segments kept.
            r.putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false);
        });
    }

    private static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest request, String bucket, String key) throws IOException {
        try {
            return aws.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("PutObject s3://" + bucket + "/" + key + " interrupted", e);
        }
    }

    /** S3's error code (AccessDenied, NoSuchBucket, SignatureDoesNotMatch, ...), not the whole XML. */
    static String errorCode(String body) {
        Matcher m = ERROR_CODE.matcher(body == null ? "" : body);
        return m.find() ? m.group(1) : "(no S3 error code)";
    }
}
