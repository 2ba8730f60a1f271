package realty.notification.mail;

import jakarta.inject.Singleton;
import jakarta.mail.MessagingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.consumer.PermanentFailureException;
import realty.core.event.EventEnvelope;
import realty.notification.DeliveryFailures;

import java.sql.Connection;
import java.sql.SQLException;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends the mails of an event: each recipient at most once per event (the ledger remembers what
 * went out, across retries and redeliveries) and at most {@code realty.mail.max-per-recipient} per
 * window; mails over that limit are held and later listed in one summary mail, so a bulk import or
 * bulk sale never floods anyone's inbox.
 */
@Singleton
public class MailDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(MailDispatcher.class);
    static final int SUMMARY_ITEMS = 50;
    private static final int SUMMARIES_PER_PASS = 10;

    private final MailComposer composer;
    private final MailLedger ledger;
    private final SmtpMailer mailer;
    private final MailTemplates templates;

    public MailDispatcher(MailComposer composer, MailLedger ledger, SmtpMailer mailer, MailTemplates templates) {
        this.composer = composer;
        this.ledger = ledger;
        this.mailer = mailer;
        this.templates = templates;
    }

    /** @throws SQLException when recipients cannot be looked up (the event is retried) */
    public void deliver(EventEnvelope event, Connection c, DeliveryFailures failures) throws SQLException {
        List<ComposedMail> mails;
        try {
            mails = composer.compose(event, c);
        } catch (PermanentFailureException e) {
            failures.permanent("e-mail", e.getMessage());
            return;
        }
        for (ComposedMail mail : mails) {
            MailLedger.Decision decision = ledger.decide(mail);
            if (decision != MailLedger.Decision.ALREADY_DONE) {
                failures.attempted();
            }
            switch (decision) {
                case ALREADY_DONE -> LOG.debug("mail {} of event {} to {} already handled", mail.template().code(), event.id(), who(mail));
                case HOLD -> {
                    ledger.record(mail, event, decision);
                    LOG.info("mail {} of event {} to {} held by the rate limit", mail.template().code(), event.id(), who(mail));
                }
                case SEND -> {
                    try {
                        mailer.send(mail);
                    } catch (MessagingException e) {
                        failures.retryable("e-mail to " + who(mail), e.getClass().getSimpleName() + ": " + e.getMessage());
                        continue;
                    }
                    ledger.record(mail, event, decision);
                    LOG.info("mail {} of event {} sent to {}", mail.template().code(), event.id(), who(mail));
                }
            }
        }
    }

    /**
     * Sends the summaries whose recipients' windows have room again. Best effort: runs after each
     * batch of events (NotificationHandler.afterBatch) and on every housekeeping run; what fails now
     * is tried again next time.
     *
     * @return how many summary mails went out
     */
    public int sendDueSummaries() {
        int sent = 0;
        try {
            for (String recipient : ledger.recipientsDueForSummary(SUMMARIES_PER_PASS)) {
                ComposedMail[] summary = new ComposedMail[1];
                int listed = ledger.summarize(recipient, held -> {
                    summary[0] = summary(held);
                    try {
                        mailer.send(summary[0]);
                    } catch (MessagingException e) { // unchecked, so the ledger's transaction rolls back
                        throw new IllegalStateException("summary mail not sent: " + e.getMessage(), e);
                    }
                    return summary[0];
                });
                if (listed > 0) {
                    sent++;
                    LOG.info("summary of {} held mails sent to {}", listed, who(summary[0]));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("summaries not sent this time: {}", e.toString());
        }
        return sent;
    }

    ComposedMail summary(List<MailLedger.Held> held) {
        MailLedger.Held latest = held.get(held.size() - 1);
        MailLocale locale = latest.locale();
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < Math.min(held.size(), SUMMARY_ITEMS); i++) {
            items.append(i == 0 ? "" : "\n").append("- ").append(held.get(i).subject());
        }
        if (held.size() > SUMMARY_ITEMS) {
            items.append('\n').append(MessageFormat.format(templates.term(locale, "summary.more"), held.size() - SUMMARY_ITEMS));
        }
        Map<String, String> vars = new HashMap<>();
        vars.put("name", latest.name());
        vars.put("count", String.valueOf(held.size()));
        vars.put("items", items.toString());
        MailTemplates.Text text = templates.render(MailTemplate.SUMMARY, locale, vars);
        return new ComposedMail(null, MailTemplate.SUMMARY, locale, latest.userId(), latest.email(), latest.name(),
                text.subject(), text.body());
    }

    /** How logs and errors name a recipient: the user id, never the address (LGPD). */
    private static String who(ComposedMail mail) {
        return mail.userId() != null ? "user " + mail.userId() : "a recipient without user id";
    }
}
