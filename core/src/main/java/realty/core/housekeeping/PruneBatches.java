package realty.core.housekeeping;

import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * The loop of every pruning task: delete one batch at a time, each in its own transaction, until a
 * batch removes fewer rows than a full one (nothing older is left) or the run's deadline has passed
 * (the next run goes on from there).
 */
public final class PruneBatches {
    private PruneBatches() {
    }

    /**
     * @param batchSize the most rows one call of {@code batch} deletes
     * @param batch     deletes one batch and returns how many rows it removed
     * @return the rows removed by all batches
     */
    public static long run(Instant deadline, int batchSize, IntSupplier batch) {
        long removed = 0;
        while (Instant.now().isBefore(deadline)) {
            int n = batch.getAsInt();
            removed += n;
            if (n < batchSize) {
                break;
            }
        }
        return removed;
    }
}
