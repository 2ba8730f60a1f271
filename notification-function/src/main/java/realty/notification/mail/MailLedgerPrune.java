package realty.notification.mail;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.core.housekeeping.HousekeepingSettings;
import realty.core.housekeeping.HousekeepingTask;
import realty.core.housekeeping.PruneBatches;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Housekeeping: removes sent mails older than {@code realty.housekeeping.mail-retention} (never less
 * than the rate window, whose SENT rows are the limit's state), with the held mails a removed
 * summary listed. HELD rows always stay: they wait for their summary.
 */
@Singleton
public class MailLedgerPrune implements HousekeepingTask {
    // The listed rows go in the same statement as their summary: the summary_id foreign key
    // (NO ACTION) is checked at the end of the statement. Plain JDBC: a data-modifying CTE.
    /** One batch; public for the plan test (local: PrunePlansTest). */
    public static final String BATCH = """
            WITH doomed AS (
                SELECT id FROM sent_notifications WHERE status = 'SENT' AND sent_at < ? ORDER BY sent_at LIMIT ?
            ), listed AS (
                DELETE FROM sent_notifications s USING doomed d WHERE s.summary_id = d.id RETURNING 1
            )
            DELETE FROM sent_notifications s USING doomed d WHERE s.id = d.id""";

    private final TransactionOperations<Connection> tx;
    private final HousekeepingSettings settings;
    private final MailSettings mail;

    public MailLedgerPrune(TransactionOperations<Connection> tx, HousekeepingSettings settings, MailSettings mail) {
        this.tx = tx;
        this.settings = settings;
        this.mail = mail;
    }

    @Override
    public String name() {
        return "mail-ledger-prune";
    }

    @Override
    public int getOrder() {
        return 200;
    }

    @Override
    public long run(Instant deadline) {
        Duration keep = settings.getMailRetention().compareTo(mail.getRateWindow()) > 0 ? settings.getMailRetention() : mail.getRateWindow();
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(keep);
        return PruneBatches.run(deadline, settings.getBatchSize(), () -> tx.executeWrite(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(BATCH)) {
                ps.setObject(1, cutoff);
                ps.setInt(2, settings.getBatchSize());
                return ps.executeUpdate();
            }
        }));
    }
}
