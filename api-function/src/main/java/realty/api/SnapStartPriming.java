package realty.api;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.crac.OrderedResource;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SnapStart priming: before Lambda snapshots the api's initialised environment, a few in-memory API
 * Gateway events go through the api's own handler, and a bearer token is validated in process, so
 * the classes and code of the request path (event mapping, router, filters, security rules, JWT
 * parsing and signature verification, response mapping) are loaded and initialised inside the
 * snapshot instead of in the first request after every restore. AWS recommends priming for
 * SnapStart functions (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-best-practices.html).
 *
 * <p>Nothing is written and nothing stays open: the requests reach only public, read-only routes
 * (the OpenAPI document and the operator page); none is refused with 401/403, which the API audits
 * in the database ({@code RefusalAudit}), and the token is validated directly rather than sent
 * (refused, it would be audited). The order is the highest, so this resource is registered last; CRaC
 * and Lambda call {@code beforeCheckpoint} in reverse order of registration, so priming runs before
 * micronaut-crac suspends the Hikari pool and {@link realty.core.broker.BrokerConnection} closes.
 * Outside SnapStart (on-demand starts, the relay and deploy functions built from this jar, the local
 * runner) no checkpoint happens and this never runs.
 */
@Singleton
public class SnapStartPriming implements OrderedResource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);
    static final String REQUEST_ID = "snapstart-priming";

    private final ApplicationContext context;
    private volatile List<Integer> lastStatuses = List.of();

    public SnapStartPriming(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> crac) {
        lastStatuses = prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends org.crac.Resource> crac) {
        // nothing: priming only shapes what the snapshot holds
    }

    /** The statuses the priming requests received, in order (empty before the first checkpoint). */
    public List<Integer> lastStatuses() {
        return lastStatuses;
    }

    /** Runs the priming requests; a failure is logged and never fails the snapshot. */
    List<Integer> prime() {
        long start = System.nanoTime();
        List<Integer> statuses = new ArrayList<>();
        // A handler over the running context, as the local gateway builds one; it is not closed, which would close the context.
        ApiFunction handler = new ApiFunction(context);
        for (APIGatewayV2HTTPEvent event : events()) {
            try {
                APIGatewayV2HTTPResponse response = handler.handleRequest(event, new PrimingContext());
                statuses.add(response.getStatusCode());
            } catch (RuntimeException e) {
                statuses.add(-1);
                LOG.warn("SnapStart priming: GET {} failed: {}", event.getRawPath(), e.toString());
            }
        }
        int validators = validateForeignToken();
        LOG.info("SnapStart priming: {} requests in {} ms, statuses {}; a foreign token refused by {} validators",
                statuses.size(), (System.nanoTime() - start) / 1_000_000, statuses, validators);
        return List.copyOf(statuses);
    }

    /** Public, read-only routes: the OpenAPI document, the operator page, and a miss outside /api. */
    static List<APIGatewayV2HTTPEvent> events() {
        return List.of(
                event("/api/v1/openapi.yml"),
                event("/admin"),
                event("/admin/priming-asset-that-does-not-exist.txt"));
    }

    /**
     * A well-formed HS256 JWT signed with a random key, through every token validator: parsed,
     * verified and refused (an empty result), as the security filter would for a real request.
     * Returns how many validators refused it.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private int validateForeignToken() {
        String token = foreignToken();
        int refused = 0;
        for (TokenValidator validator : context.getBeansOfType(TokenValidator.class)) {
            try {
                Object authentication = Mono.from(validator.validateToken(token, null)).block(Duration.ofSeconds(5));
                if (authentication == null) {
                    refused++;
                } else {
                    LOG.error("SnapStart priming: {} accepted a token signed with a random key", validator.getClass().getName());
                }
            } catch (RuntimeException e) {
                LOG.warn("SnapStart priming: token validation by {} failed: {}", validator.getClass().getName(), e.toString());
            }
        }
        return refused;
    }

    private static String foreignToken() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString("{\"sub\":\"priming\",\"exp\":4102444800}".getBytes(StandardCharsets.UTF_8));
        byte[] signature = new byte[32];
        new SecureRandom().nextBytes(signature);
        return header + "." + claims + "." + b64.encodeToString(signature);
    }

    private static APIGatewayV2HTTPEvent event(String path) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "priming.invalid");
        headers.put("x-request-id", REQUEST_ID);
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(headers)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId(REQUEST_ID)
                        .withRouteKey("$default")
                        .withStage("$default")
                        .withTimeEpoch(System.currentTimeMillis())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("GET")
                                .withPath(path)
                                .withProtocol("HTTP/1.1")
                                .withSourceIp("127.0.0.1")
                                .withUserAgent("snapstart-priming")
                                .build())
                        .build())
                .build();
    }

    /** The Lambda context the handler receives for a priming request. */
    static final class PrimingContext implements Context {
        @Override
        public String getAwsRequestId() {
            return REQUEST_ID;
        }

        @Override
        public String getLogGroupName() {
            return "";
        }

        @Override
        public String getLogStreamName() {
            return "";
        }

        @Override
        public String getFunctionName() {
            return ApiFunction.FUNCTION;
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 10_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    LOG.debug(message);
                }

                @Override
                public void log(byte[] message) {
                    LOG.debug(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
