package realty.core.audit;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import realty.core.housekeeping.HousekeepingTask;

import java.time.Instant;

/**
 * Requested audit exports as a step of the scheduled housekeeping run ({@link AuditExportWorker}):
 * first of the run, since a user is waiting for them. The run's advisory lock keeps two scheduled
 * runs off the same task; the worker's SKIP LOCKED claim keeps any other caller apart as well.
 */
@Singleton
@Requires(beans = AuditExportWorker.class)
public class AuditExportTask implements HousekeepingTask {
    private final AuditExportWorker worker;

    public AuditExportTask(AuditExportWorker worker) {
        this.worker = worker;
    }

    @Override
    public String name() {
        return "audit-export";
    }

    @Override
    public int getOrder() {
        return 50;
    }

    @Override
    public long run(Instant deadline) throws Exception {
        return worker.runUntil(deadline);
    }
}
