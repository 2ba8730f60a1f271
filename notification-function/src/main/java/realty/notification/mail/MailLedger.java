package realty.notification.mail;

import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionCallback;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.core.db.GenericPlans;
import realty.core.event.EventEnvelope;

import java.sql.Connection;
import java.util.List;
import java.util.UUID;

/**
 * The {@code sent_notifications} table: which mails went out, which are held by the rate limit.
 *
 * <p>Each write runs in a transaction of its own (REQUIRES_NEW), committed right after the send it
 * records (the decision before the send reads in the caller's transaction): the handler's own
 * savepoint is rolled back whenever any other delivery of the same event fails, and a record that
 * vanished with it would make the retry send this mail again. The repository's statements run on
 * the connection of that transaction, on kept generic plans
 * ({@link GenericPlans}; every statement of {@link MailLedgerRepository} is checked as a generic plan
 * by HotPathPlansTest): such transactions ran three times per mail, and planning their statements
 * at every execution cost 0.3 ms of PostgreSQL per mail (docs/benchmarks.md).
 */
@Singleton
public class MailLedger {
    private static final TransactionDefinition OWN = TransactionDefinition.of(TransactionDefinition.Propagation.REQUIRES_NEW);

    /** What to do with a composed mail. */
    public enum Decision { ALREADY_DONE, SEND, HOLD }

    /** A mail over the limit, waiting for the summary. */
    public record Held(long id, String subject, MailLocale locale, UUID userId, String email, String name) {
    }

    private final TransactionOperations<Connection> tx;
    private final MailLedgerRepository rows;
    private final MailSettings settings;

    public MailLedger(TransactionOperations<Connection> tx, MailLedgerRepository rows, MailSettings settings) {
        this.tx = tx;
        this.rows = rows;
        this.settings = settings;
    }

    /**
     * Reads only, so it runs in the caller's transaction (the consumer batch's, on forced generic
     * plans) rather than one of its own: each statement there sees what other transactions committed
     * before it, this ledger's own records among them. A transaction of its own per mail cost a pool
     * checkout, BEGIN and COMMIT for two reads (docs/benchmarks.md, issue 16).
     */
    public Decision decide(ComposedMail mail) {
        MailLedgerRepository.Standing standing = rows.standing(mail.eventId(), mail.recipientKey(), settings.getRateWindow().toMillis());
        if (standing.recorded()) {
            return Decision.ALREADY_DONE;
        }
        return standing.sentInWindow() >= settings.getMaxPerRecipient() ? Decision.HOLD : Decision.SEND;
    }

    /** Records a mail of an event as SENT or HELD. */
    public void record(ComposedMail mail, EventEnvelope event, Decision decision) {
        boolean sent = decision == Decision.SEND;
        own(status -> {
            rows.record(mail.eventId(), event.type(), event.companyId(), mail.userId(), mail.recipientKey(), mail.toName(),
                    mail.locale().tag(), mail.template().code(), mail.subject(), sent ? "SENT" : "HELD", sent);
            return null;
        });
    }

    /** Recipients with held mails whose window has room again: their summary is due. */
    public List<String> recipientsDueForSummary(int limit) {
        return own(status -> rows.recipientsDueForSummary(settings.getRateWindow().toMillis(),
                settings.getMaxPerRecipient(), limit));
    }

    /** The held mails of one recipient, oldest first. */
    public List<Held> held(String recipientEmail) {
        return own(status -> rows.held(recipientEmail).stream().map(MailLedger::held).toList());
    }

    /** Sends a recipient's summary: gets the mail for the held ones and delivers it, or throws. */
    @FunctionalInterface
    public interface SummarySender {
        ComposedMail send(List<Held> held) throws Exception;
    }

    /**
     * Summarises one recipient's held mails in one transaction: locks them (skipping any another run
     * has locked, so two runs never list the same mail twice), sends, records the summary and marks
     * them SUMMARIZED. A failed send rolls back and leaves them HELD for the next try.
     *
     * @return how many held mails the summary listed (0: none left, or another run has them)
     */
    public int summarize(String recipientEmail, SummarySender sender) {
        return own(status -> {
            List<Held> held = rows.lockHeld(recipientEmail).stream().map(MailLedger::held).toList();
            if (held.isEmpty()) {
                return 0;
            }
            ComposedMail summary = sender.send(held);
            long id = rows.recordSummary(summary.userId(), summary.recipientKey(), summary.toName(), summary.locale().tag(),
                    summary.template().code(), summary.subject());
            rows.markSummarized(id, held.stream().mapToLong(Held::id).toArray());
            return held.size();
        });
    }

    /** A transaction of its own (REQUIRES_NEW) whose statements run on kept generic plans. */
    private <T> T own(TransactionCallback<Connection, T> work) {
        return tx.execute(OWN, status -> {
            GenericPlans.force(status.getConnection());
            return work.call(status);
        });
    }

    private static Held held(MailLedgerRepository.HeldRow h) {
        return new Held(h.id(), h.subject(), MailLocale.of(h.locale()), h.recipientUserId(), h.recipientEmail(), h.recipientName());
    }
}
