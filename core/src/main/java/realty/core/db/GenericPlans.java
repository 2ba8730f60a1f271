package realty.core.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes the statements of the current transaction run on the generic plans PostgreSQL keeps for
 * server-side prepared statements, instead of being planned again at every execution.
 *
 * <p>Every function's connections default to {@code plan_cache_mode=force_custom_plan} (core's
 * {@code application.yml}): in a generic plan the RowScope condition {@code (:allCompanies OR
 * company_id = ANY(:companies))} can use no index, and whether the plan cache would pick the generic
 * plan depends on cost estimates. Planning costs CPU at every execution, though: on the invitation
 * path it was a third of PostgreSQL's time per request (docs/benchmarks.md, "plan cache").
 *
 * <p>A transaction may call {@link #allow} only if every statement it can run is checked as a
 * generic plan too, on a million rows without statistics: {@code HotPathPlansTest} and
 * {@code HotStatementPlansTest} do that for the consumer runtime's batch and the statements of the
 * queue functions (the mail ledger's own transactions among them), the outbox, and the API's user
 * creation. The setting is {@code SET LOCAL}: it
 * ends with the transaction, so the pooled connection goes back with the safe default.
 */
public final class GenericPlans {
    /**
     * The generic plan always, not {@code auto}: with {@code auto} PostgreSQL keeps planning every
     * execution of a statement whose generic plan it estimates dearer than its custom plans so far, and
     * it did so for the notification function's reads, the companies count of user creation, and
     * others (0.07–0.18 ms of planning each per created user, pg_stat_statements, docs/benchmarks.md).
     * Which plan runs then depends on estimates; forced, it is the generic plan the tests check.
     */
    public static final String ALLOW = "SET LOCAL plan_cache_mode = force_generic_plan";

    private GenericPlans() {
    }

    /** For the rest of the transaction open on {@code c}; refuses a connection in auto-commit, where SET LOCAL does nothing. */
    public static void allow(Connection c) throws SQLException {
        if (c.getAutoCommit()) {
            throw new IllegalStateException("SET LOCAL needs a transaction: the connection is in auto-commit");
        }
        try (Statement s = c.createStatement()) {
            s.execute(ALLOW);
        }
    }
}
