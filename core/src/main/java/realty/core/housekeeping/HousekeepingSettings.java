package realty.core.housekeeping;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code realty.housekeeping.*}: what the scheduled housekeeping run keeps and how much it does per
 * run. Ages are measured from when a row stopped changing (published, processed, sent, delivered).
 */
@ConfigurationProperties("realty.housekeeping")
public class HousekeepingSettings {
    /**
     * Published outbox rows whose every consumer has processed them, with their consumer outcomes,
     * are removed this long after publishing. The outbox is the event store: GET /events answers 404
     * for a removed event, and its row history no longer lists it.
     */
    private Duration outboxRetention = Duration.ofDays(30);
    /** Mail ledger rows (sent mails, summarised held mails); must exceed the mail rate window. */
    private Duration mailRetention = Duration.ofDays(30);
    /** Webhook delivery rows (GET /webhooks/{id}/deliveries shows them until then). */
    private Duration webhookRetention = Duration.ofDays(30);
    /** Invitation and password-reset rows are removed this long after they expired. */
    private Duration linkRetention = Duration.ofDays(30);
    /** Rows deleted per statement (one short transaction each). */
    private int batchSize = 1000;
    /** A run stops starting new batches after this long (Lambda: keep well below the function's timeout). */
    private Duration timeBudget = Duration.ofSeconds(90);

    public Duration getOutboxRetention() { return outboxRetention; }
    public void setOutboxRetention(Duration outboxRetention) { this.outboxRetention = outboxRetention; }
    public Duration getMailRetention() { return mailRetention; }
    public void setMailRetention(Duration mailRetention) { this.mailRetention = mailRetention; }
    public Duration getWebhookRetention() { return webhookRetention; }
    public void setWebhookRetention(Duration webhookRetention) { this.webhookRetention = webhookRetention; }
    public Duration getLinkRetention() { return linkRetention; }
    public void setLinkRetention(Duration linkRetention) { this.linkRetention = linkRetention; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
    public Duration getTimeBudget() { return timeBudget; }
    public void setTimeBudget(Duration timeBudget) { this.timeBudget = timeBudget; }
}
