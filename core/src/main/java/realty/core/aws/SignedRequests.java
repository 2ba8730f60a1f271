package realty.core.aws;

import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Calls to one AWS service in one region without the SDK's service clients: each request is signed
 * with the SDK's own SigV4 signer ({@link AwsV4HttpSigner}, module http-auth-aws) and sent with the
 * JDK's {@link HttpClient}. What realty.core.config.AwsSecrets and realty.core.audit.S3Objects share;
 * each says why it does without its SDK client, and adds its service's own signing rules.
 */
public final class SignedRequests {
    /** Headers the JDK client sets itself and refuses from the caller; they need not be signed. */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "expect", "connection");

    private final String service;
    private final String region;
    private final Supplier<AwsCredentialsIdentity> credentials;
    private final Clock clock;
    private final HttpClient http;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * @param service     the signing name ("s3", "secretsmanager")
     * @param credentials asked again for every request, so rotated credentials are picked up
     */
    public SignedRequests(String service, String region, Supplier<AwsCredentialsIdentity> credentials, Clock clock,
                          Duration connectTimeout) {
        this.service = service;
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
        // HTTP/1.1: neither S3 nor the JSON services speak HTTP/2.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    /**
     * Signs for this service and region at the clock's time; {@code request} adds the request, its
     * payload and the service's own signer properties.
     */
    public SignedRequest sign(Consumer<SignRequest.Builder<AwsCredentialsIdentity>> request) {
        AwsCredentialsIdentity identity = credentials.get();
        return signer.sign(r -> {
            r.identity(identity)
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(HttpSigner.SIGNING_CLOCK, clock);
            request.accept(r);
        });
    }

    /** A JDK request to the signed URI with the signed headers; the caller adds method, body and timeout. */
    public static HttpRequest.Builder toJdk(SdkHttpRequest signed) {
        HttpRequest.Builder send = HttpRequest.newBuilder(signed.getUri());
        for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
            if (!SET_BY_CLIENT.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                h.getValue().forEach(v -> send.header(h.getKey(), v));
            }
        }
        return send;
    }

    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws IOException, InterruptedException {
        return http.send(request, body);
    }
}
