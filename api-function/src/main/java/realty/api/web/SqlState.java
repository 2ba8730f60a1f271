package realty.api.web;

import java.sql.SQLException;

/**
 * PostgreSQL error classes the API turns into problems. Repositories wrap the driver's
 * {@link SQLException} (Micronaut Data's DataAccessException), so the state is looked up in the causes.
 */
public enum SqlState {
    UNIQUE_VIOLATION("23505"),
    FOREIGN_KEY_VIOLATION("23503"),
    CHECK_VIOLATION("23514");

    private final String code;

    SqlState(String code) {
        this.code = code;
    }

    public boolean of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && code.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
