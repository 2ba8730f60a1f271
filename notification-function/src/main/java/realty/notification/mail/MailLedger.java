package realty.notification.mail;

import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.core.event.EventEnvelope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The {@code sent_notifications} table: which mails went out, which are held by the rate limit.
 *
 * <p>Each write runs in a transaction of its own (REQUIRES_NEW), committed right after the send it
 * records: the handler's own savepoint is rolled back whenever any other delivery of the same event
 * fails, and a record that vanished with it would make the retry send this mail again.
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
    private final MailSettings settings;

    public MailLedger(TransactionOperations<Connection> tx, MailSettings settings) {
        this.tx = tx;
        this.settings = settings;
    }

    public Decision decide(ComposedMail mail) {
        return tx.execute(OWN, status -> {
            Connection c = status.getConnection();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM sent_notifications WHERE event_id = ? AND recipient_email = ?")) {
                ps.setObject(1, mail.eventId());
                ps.setString(2, mail.recipientKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return Decision.ALREADY_DONE;
                    }
                }
            }
            return sentInWindow(c, mail.recipientKey()) >= settings.getMaxPerRecipient() ? Decision.HOLD : Decision.SEND;
        });
    }

    /** Records a mail of an event as SENT or HELD. */
    public void record(ComposedMail mail, EventEnvelope event, Decision decision) {
        tx.execute(OWN, status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("""
                    INSERT INTO sent_notifications (event_id, event_type, company_id, recipient_user_id, recipient_email,
                                                    recipient_name, locale, template, subject, status, sent_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN now() END)
                    ON CONFLICT (event_id, recipient_email) DO NOTHING""")) {
                boolean sent = decision == Decision.SEND;
                ps.setObject(1, mail.eventId());
                ps.setString(2, event.type());
                ps.setObject(3, event.companyId());
                ps.setObject(4, mail.userId());
                ps.setString(5, mail.recipientKey());
                ps.setString(6, mail.toName());
                ps.setString(7, mail.locale().tag());
                ps.setString(8, mail.template().code());
                ps.setString(9, mail.subject());
                ps.setString(10, sent ? "SENT" : "HELD");
                ps.setBoolean(11, sent);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Recipients with held mails whose window has room again: their summary is due. */
    public List<String> recipientsDueForSummary(int limit) {
        return tx.execute(OWN, status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("""
                    SELECT h.recipient_email FROM sent_notifications h WHERE h.status = 'HELD'
                    GROUP BY h.recipient_email
                    HAVING (SELECT count(*) FROM sent_notifications s WHERE s.recipient_email = h.recipient_email
                            AND s.status = 'SENT' AND s.sent_at > now() - ? * interval '1 millisecond') < ?
                    ORDER BY min(h.id) LIMIT ?""")) {
                ps.setLong(1, settings.getRateWindow().toMillis());
                ps.setInt(2, settings.getMaxPerRecipient());
                ps.setInt(3, limit);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    /** The held mails of one recipient, oldest first. */
    public List<Held> held(String recipientEmail) {
        return tx.execute(OWN, status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement("""
                    SELECT id, subject, locale, recipient_user_id, recipient_email, recipient_name FROM sent_notifications
                    WHERE recipient_email = ? AND status = 'HELD' ORDER BY id""")) {
                ps.setString(1, recipientEmail);
                List<Held> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Held(rs.getLong(1), rs.getString(2), MailLocale.of(rs.getString(3)),
                                rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6)));
                    }
                }
                return out;
            }
        });
    }

    /** Records a sent summary and marks the mails it lists as SUMMARIZED. */
    public void recordSummary(ComposedMail summary, List<Held> listed) {
        tx.execute(OWN, status -> {
            Connection c = status.getConnection();
            long id;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO sent_notifications (recipient_user_id, recipient_email, recipient_name, locale, template,
                                                    subject, status, sent_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'SENT', now()) RETURNING id""")) {
                ps.setObject(1, summary.userId());
                ps.setString(2, summary.recipientKey());
                ps.setString(3, summary.toName());
                ps.setString(4, summary.locale().tag());
                ps.setString(5, summary.template().code());
                ps.setString(6, summary.subject());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE sent_notifications SET status = 'SUMMARIZED', summary_id = ? WHERE id = ANY(?) AND status = 'HELD'")) {
                ps.setLong(1, id);
                ps.setArray(2, c.createArrayOf("int8", listed.stream().map(Held::id).toArray()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    private int sentInWindow(Connection c, String recipient) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT count(*) FROM sent_notifications
                WHERE recipient_email = ? AND status = 'SENT' AND sent_at > now() - ? * interval '1 millisecond'""")) {
            ps.setString(1, recipient);
            ps.setLong(2, settings.getRateWindow().toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
