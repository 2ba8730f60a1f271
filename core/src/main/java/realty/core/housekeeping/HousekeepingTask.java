package realty.core.housekeeping;

import io.micronaut.core.order.Ordered;

import java.time.Instant;

/**
 * One job of the scheduled housekeeping run (pruning a table, sending what waits, archiving). Every
 * bean of this type in a function's context runs once per run, in {@link #getOrder()} order, each
 * under a database advisory lock of its own name, so two runs at once never do the same task twice.
 *
 * <p>A task does bounded work: it stops at {@code deadline} and leaves the rest to the next run, so
 * every run ends within the Lambda timeout. It must be idempotent: a run that dies half-way is
 * simply followed by the next one.
 */
public interface HousekeepingTask extends Ordered {

    /** Short stable name: the log field, the metric tag and the advisory lock's key. */
    String name();

    /**
     * Does one bounded run.
     *
     * @return how many things it removed or sent (for the log and the metric)
     */
    long run(Instant deadline) throws Exception;
}
