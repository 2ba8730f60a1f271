package realty.api.property;

import realty.core.security.Caller;

import java.sql.Connection;

/**
 * {@code property.before_create}: published synchronously, inside the creating transaction, before
 * the row is written. Observers may fill in fields ({@link #input}) or throw to abort.
 */
public final class PropertyBeforeCreate {
    private final Caller caller;
    private final Connection connection;
    private PropertyInput input;

    PropertyBeforeCreate(Caller caller, Connection connection, PropertyInput input) {
        this.caller = caller;
        this.connection = connection;
        this.input = input;
    }

    public Caller caller() {
        return caller;
    }

    public Connection connection() {
        return connection;
    }

    public PropertyInput input() {
        return input;
    }

    public void input(PropertyInput changed) {
        this.input = changed;
    }
}
