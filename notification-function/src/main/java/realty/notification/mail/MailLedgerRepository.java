package realty.notification.mail;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.UUID;

/**
 * The statements of {@link MailLedger} on {@code sent_notifications}. Native SQL: the idempotent
 * insert ({@code ON CONFLICT DO NOTHING}), the rate window and the summary's {@code RETURNING}.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface MailLedgerRepository extends GenericRepository<MailLedgerRepository.HeldRow, Long> {

    /** A held mail as stored. */
    @Introspected
    record HeldRow(long id, String subject, String locale, @Nullable UUID recipientUserId, String recipientEmail,
                   @Nullable String recipientName) {
    }

    /** Whether an event's mail to a recipient is recorded already, and how many mails the recipient got in the rate window. */
    @Introspected
    record Standing(boolean recorded, long sentInWindow) {
    }

    /** Both reads of the decision before a send, in one round trip. */
    @Query("""
            SELECT EXISTS (SELECT 1 FROM sent_notifications WHERE event_id = :eventId AND recipient_email = :recipient) AS recorded,
                   (SELECT count(*) FROM sent_notifications
                    WHERE recipient_email = :recipient AND status = 'SENT'
                      AND sent_at > now() - :windowMillis * interval '1 millisecond') AS sent_in_window""")
    Standing standing(@Nullable UUID eventId, String recipient, long windowMillis);

    @Query("""
            INSERT INTO sent_notifications (event_id, event_type, company_id, recipient_user_id, recipient_email,
                                            recipient_name, locale, template, subject, status, sent_at)
            VALUES (:eventId, :eventType, :companyId, :userId, :recipient, :name, :locale, :template, :subject, :status,
                    CASE WHEN :sent THEN now() END)
            ON CONFLICT (event_id, recipient_email) DO NOTHING""")
    void record(@Nullable UUID eventId, String eventType, @Nullable UUID companyId, @Nullable UUID userId, String recipient,
                @Nullable String name, String locale, String template, String subject, String status, boolean sent);

    @Query("""
            SELECT h.recipient_email FROM sent_notifications h WHERE h.status = 'HELD'
            GROUP BY h.recipient_email
            HAVING (SELECT count(*) FROM sent_notifications s WHERE s.recipient_email = h.recipient_email
                    AND s.status = 'SENT' AND s.sent_at > now() - :windowMillis * interval '1 millisecond') < :maxPerRecipient
            ORDER BY min(h.id) LIMIT :limit""")
    List<String> recipientsDueForSummary(long windowMillis, int maxPerRecipient, int limit);

    @Query("""
            SELECT id, subject, locale, recipient_user_id, recipient_email, recipient_name FROM sent_notifications
            WHERE recipient_email = :recipient AND status = 'HELD' ORDER BY id""")
    List<HeldRow> held(String recipient);

    /** The held mails of one recipient, locked; rows another summary run has locked are skipped. */
    @Query("""
            SELECT id, subject, locale, recipient_user_id, recipient_email, recipient_name FROM sent_notifications
            WHERE recipient_email = :recipient AND status = 'HELD' ORDER BY id FOR UPDATE SKIP LOCKED""")
    List<HeldRow> lockHeld(String recipient);

    @Query("""
            INSERT INTO sent_notifications (recipient_user_id, recipient_email, recipient_name, locale, template,
                                            subject, status, sent_at)
            VALUES (:userId, :recipient, :name, :locale, :template, :subject, 'SENT', now()) RETURNING id""")
    long recordSummary(@Nullable UUID userId, String recipient, @Nullable String name, String locale, String template,
                       String subject);

    @Query("UPDATE sent_notifications SET status = 'SUMMARIZED', summary_id = :summaryId WHERE id = ANY(:ids) AND status = 'HELD'")
    void markSummarized(long summaryId, long[] ids);
}
