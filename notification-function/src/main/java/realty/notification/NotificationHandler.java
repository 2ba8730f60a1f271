package realty.notification;

import jakarta.inject.Named;
import jakarta.inject.Singleton;
import realty.core.consumer.EventHandler;
import realty.core.consumer.HandlerContext;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.topology.Topology;
import realty.core.topology.WorkQueue;
import realty.notification.mail.MailDispatcher;
import realty.notification.webhook.WebhookDispatcher;

import java.util.Set;

/**
 * Notifies people and systems of an event: e-mail to the people it concerns and the signed
 * envelope to the company's webhook subscribers. Every mail and every webhook delivery is its own
 * piece of work with its own ledger row, so that a failure of one (the event is then retried, and
 * after the last tier dead-lettered) repeats only that one, and a redelivered event sends nothing
 * twice.
 */
@Singleton
@Named(Topology.NOTIFICATION)
public class NotificationHandler implements EventHandler {
    private final MailDispatcher mail;
    private final WebhookDispatcher webhooks;
    private final WorkQueue queue;

    public NotificationHandler(MailDispatcher mail, WebhookDispatcher webhooks, Topology topology) {
        this.mail = mail;
        this.webhooks = webhooks;
        this.queue = topology.queueOfFunction(Topology.NOTIFICATION);
    }

    @Override
    public Set<EventType> handledTypes() {
        return queue.bindings();
    }

    @Override
    public void handle(EventEnvelope event, HandlerContext context) throws Exception {
        DeliveryFailures failures = new DeliveryFailures();
        mail.deliver(event, context.connection(), failures);
        webhooks.deliver(event, context.connection(), context.attempt() >= queue.retry().maxAttempts(), failures);
        failures.throwIfAny();
    }

    /** Every statement of this function is checked as a generic plan by HotPathPlansTest. */
    @Override
    public boolean forcesGenericPlans() {
        return true;
    }

    /**
     * Held-mail summaries whose recipients' windows have room again: once per batch, not per event.
     * Per event it was a transaction of its own (a connection, BEGIN, the query, COMMIT) for every
     * mail; housekeeping sends them too when no event comes (docs/benchmarks.md, issue 16).
     */
    @Override
    public void afterBatch() {
        mail.sendDueSummaries();
    }
}
