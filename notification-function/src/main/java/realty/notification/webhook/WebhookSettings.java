package realty.notification.webhook;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** {@code realty.webhooks.*}: how subscribers are called. */
@ConfigurationProperties("realty.webhooks")
public class WebhookSettings {
    /** Connect and response timeout of one delivery; a timeout counts as a failed attempt. */
    private Duration timeout = Duration.ofSeconds(5);
    private String userAgent = "realty-webhooks/1";

    public Duration getTimeout() { return timeout; }
    public void setTimeout(Duration timeout) { this.timeout = timeout; }
    public String getUserAgent() { return userAgent; }
    public void setUserAgent(String userAgent) { this.userAgent = userAgent; }
}
