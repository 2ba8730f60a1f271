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
 * <p>A transaction may call {@link #allow} only if every statement it can run is checked as a
 * generic plan too, on a million rows without statistics: {@code HotPathPlansTest} and
 * {@code HotStatementPlansTest} do that for the consumer runtime's batch and the statements of the
 * queue functions, the outbox, and the API's user creation. The setting is {@code SET LOCAL}: it
 * ends with the transaction, so the pooled connection goes back with the safe default.
 */
public final class GenericPlans {
    /** PostgreSQL's own default: a generic plan once it is estimated no dearer than the custom plans so far. */
    public static final String ALLOW = "SET LOCAL plan_cache_mode = auto";

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
