package realty.notification.webhook;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.core.housekeeping.HousekeepingSettings;
import realty.core.housekeeping.HousekeepingTask;
import realty.core.housekeeping.PruneBatches;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Housekeeping: removes webhook deliveries whose last attempt is older than
 * {@code realty.housekeeping.webhook-retention}, whatever their status: by then every retry of
 * the event is long over, and GET /webhooks/{id}/deliveries stops listing them.
 */
@Singleton
public class WebhookLedgerPrune implements HousekeepingTask {
    /** One batch; public for the plan test (local: PrunePlansTest). */
    // The page's rows deleted by their row address (a TID scan): joined back through the composite
    // key instead, the generic plan of the prepared statement, not knowing the LIMIT, read the
    // whole table (PrunePlansTest).
    public static final String BATCH = """
            DELETE FROM webhook_deliveries WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM webhook_deliveries WHERE last_attempt_at < ? ORDER BY last_attempt_at LIMIT ?))""";

    private final TransactionOperations<Connection> tx;
    private final HousekeepingSettings settings;

    public WebhookLedgerPrune(TransactionOperations<Connection> tx, HousekeepingSettings settings) {
        this.tx = tx;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "webhook-ledger-prune";
    }

    @Override
    public int getOrder() {
        return 210;
    }

    @Override
    public long run(Instant deadline) {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(settings.getWebhookRetention());
        return PruneBatches.run(deadline, settings.getBatchSize(), () -> tx.executeWrite(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(BATCH)) {
                ps.setObject(1, cutoff);
                ps.setInt(2, settings.getBatchSize());
                return ps.executeUpdate();
            }
        }));
    }
}
