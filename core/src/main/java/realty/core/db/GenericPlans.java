package realty.core.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Lets the statements of the current transaction run on the generic plans PostgreSQL keeps for
 * server-side prepared statements, instead of being planned again at every execution.
 *
 * <p>Every function's connections default to {@code plan_cache_mode=force_custom_plan} (core's
 * {@code application.yml}): in a generic plan the RowScope condition {@code (:allCompanies OR
 * company_id = ANY(:companies))} can use no index, and whether the plan cache would pick the generic
 * plan depends on cost estimates. Planning costs CPU at every execution, though: on the invitation
 * path it was a third of PostgreSQL's time per request (docs/benchmarks.md, "plan cache").
 *
 * <p>A transaction may call {@link #allow} or {@link #force} only if every statement it can run is checked as a
 * generic plan too, on a million rows without statistics: {@code HotPathPlansTest} and
 * {@code HotStatementPlansTest} do that for the consumer runtime's batch and the statements of the
 * queue functions (the mail ledger's own transactions among them), the outbox, and the API's user
 * creation. The setting is {@code SET LOCAL}: it
 * ends with the transaction, so the pooled connection goes back with the safe default.
 */
public final class GenericPlans {
    /** PostgreSQL's own default: a generic plan once it is estimated no dearer than the custom plans so far. */
    public static final String ALLOW = "SET LOCAL plan_cache_mode = auto";

    /**
     * The generic plan always: with {@code auto} PostgreSQL keeps planning every execution of a
     * statement whose generic plan it estimates dearer than its custom plans so far, and it did so for
     * user creation's companies count and the mail ledger's reads (0.07–0.15 ms of planning each per
     * created user, pg_stat_statements, docs/benchmarks.md). Used where that was measured to pay,
     * the notification function's batch among them (EventHandler.forcesGenericPlans); not in the
     * audit and commission batches, where forcing it made the commission drain 2.5 times slower on
     * tables without statistics (docs/benchmarks.md, 2026-11-29 11:20).
     */
    public static final String FORCE = "SET LOCAL plan_cache_mode = force_generic_plan";

    /**
     * Sent with {@link #FORCE}: a generic plan is made without the parameters' values, so its row
     * estimates are the planner's defaults, and with a million never-analysed rows those can make it
     * a parallel plan (HotPathPlansTest printed {@code Gather} for the notification function's "users
     * of a company with a profile" as a generic plan only: its tenant condition cannot be folded away
     * without the values). Starting parallel workers costs milliseconds; these are statements of a
     * few index look-ups each, so a forced generic plan is always a serial one.
     */
    public static final String SERIAL = "SET LOCAL max_parallel_workers_per_gather = 0";

    private GenericPlans() {
    }

    /** For the rest of the transaction open on {@code c}; refuses a connection in auto-commit, where SET LOCAL does nothing. */
    public static void allow(Connection c) throws SQLException {
        set(c, ALLOW);
    }

    /**
     * {@link #FORCE} and {@link #SERIAL} for the rest of the transaction open on {@code c}; the same
     * conditions as {@link #allow}.
     */
    public static void force(Connection c) throws SQLException {
        set(c, FORCE + "; " + SERIAL); // one round trip
    }

    private static void set(Connection c, String statement) throws SQLException {
        if (c.getAutoCommit()) {
            throw new IllegalStateException("SET LOCAL needs a transaction: the connection is in auto-commit");
        }
        try (Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
