package realty.notification.webhook;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.event.EventCodec;
import realty.core.event.EventEnvelope;
import realty.core.webhook.WebhookTargetPolicy;
import realty.notification.DeliveryFailures;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Delivers an event to its company's webhook subscribers (spec/api.md, outbound webhooks): the
 * envelope as body, {@code X-Event-Id}, {@code X-Event-Type}, {@code X-Timestamp} and
 * {@code X-Signature}; 2xx means delivered, anything else or a timeout is a failed attempt.
 * Subscribers that already have the event are skipped, so a retry of the event only calls the ones
 * that failed, and one failing subscriber neither blocks nor repeats the others.
 */
@Singleton
public class WebhookDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int MAX_ERROR = 300;

    private final WebhookDeliveries deliveries;
    private final WebhookTargetPolicy policy;
    private final WebhookSettings settings;
    private final EventCodec codec;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "webhook-client");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http;

    public WebhookDispatcher(WebhookDeliveries deliveries, WebhookTargetPolicy policy, WebhookSettings settings, EventCodec codec) {
        this.deliveries = deliveries;
        this.policy = policy;
        this.settings = settings;
        this.codec = codec;
        // Redirects are not followed: a 3xx would lead the request past the target check.
        this.http = HttpClient.newBuilder().connectTimeout(settings.getTimeout()).followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor).build();
    }

    /**
     * @param finalAttempt whether this is the event's last try: failures are then recorded as DEAD
     * @throws SQLException when the subscriptions cannot be read (the event is retried)
     */
    public void deliver(EventEnvelope event, Connection c, boolean finalAttempt, DeliveryFailures failures) throws SQLException {
        var subscribers = deliveries.subscribersOf(c, event);
        if (subscribers.isEmpty()) {
            return;
        }
        Map<java.util.UUID, String> done = deliveries.statusOf(c, event.id());
        byte[] body = codec.encode(event);
        for (WebhookDeliveries.Subscriber subscriber : subscribers) {
            if (WebhookDeliveries.DELIVERED.equals(done.get(subscriber.id()))) {
                continue;
            }
            failures.attempted();
            String target = "webhook " + subscriber.id();
            WebhookTargetPolicy.Target checked;
            try {
                checked = policy.check(subscriber.url());
            } catch (WebhookTargetPolicy.RefusedTarget refused) {
                deliveries.recordAttempt(event, subscriber, WebhookDeliveries.DEAD, null, "refused: " + refused.getMessage());
                failures.permanent(target, "refused: " + refused.getMessage());
                continue;
            }
            String timestamp = String.valueOf(Instant.now().getEpochSecond());
            HttpRequest request = HttpRequest.newBuilder(checked.uri())
                    .timeout(settings.getTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", settings.getUserAgent())
                    .header("X-Event-Id", event.id().toString())
                    .header("X-Event-Type", event.type())
                    .header("X-Timestamp", timestamp)
                    .header(WebhookSignature.HEADER, WebhookSignature.sign(subscriber.secret(), timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            String failedStatus = finalAttempt ? WebhookDeliveries.DEAD : WebhookDeliveries.FAILED;
            try {
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                int code = response.statusCode();
                if (code >= 200 && code < 300) {
                    deliveries.recordAttempt(event, subscriber, WebhookDeliveries.DELIVERED, code, null);
                    LOG.info("event {} ({}) delivered to webhook {}: HTTP {}", event.id(), event.type(), subscriber.id(), code);
                } else {
                    deliveries.recordAttempt(event, subscriber, failedStatus, code, "HTTP " + code);
                    failures.retryable(target, "answered HTTP " + code);
                }
            } catch (HttpTimeoutException e) {
                String error = "no answer within " + settings.getTimeout().toMillis() + " ms";
                deliveries.recordAttempt(event, subscriber, failedStatus, null, error);
                failures.retryable(target, error);
            } catch (IOException e) {
                String error = abbreviate(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                deliveries.recordAttempt(event, subscriber, failedStatus, null, error);
                failures.retryable(target, error);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.retryable(target, "interrupted");
                return;
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > MAX_ERROR ? s.substring(0, MAX_ERROR) : s;
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }
}
