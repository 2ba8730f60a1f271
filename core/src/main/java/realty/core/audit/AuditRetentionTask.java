package realty.core.audit;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import realty.core.housekeeping.HousekeepingTask;

import java.time.Instant;

/**
 * The audit log's retention as a step of the scheduled housekeeping run: creates the months ahead,
 * archives and drops the months past retention ({@link AuditRetention}). Present only where an
 * archive is configured, like AuditRetention itself; its own advisory lock keeps a manual pass and
 * a scheduled one apart as well.
 */
@Singleton
@Requires(beans = AuditRetention.class)
public class AuditRetentionTask implements HousekeepingTask {
    private final AuditRetention retention;

    public AuditRetentionTask(AuditRetention retention) {
        this.retention = retention;
    }

    @Override
    public String name() {
        return "audit-retention";
    }

    @Override
    public int getOrder() {
        return 300; // after the prunes: one month's archive can take the rest of the time budget
    }

    /** A month is never split across runs, so the deadline is not consulted inside a pass. */
    @Override
    public long run(Instant deadline) {
        return retention.runOnce().archived().stream().mapToLong(AuditRetention.Archived::rows).sum();
    }
}
