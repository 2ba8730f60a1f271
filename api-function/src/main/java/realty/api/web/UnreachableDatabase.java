package realty.api.web;

import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.core.propagation.PropagatedContextElement;

/**
 * Carried through a request whose connection could not be had: the pool already waited its
 * connection timeout, so the request fails at once where it needs the database instead of waiting
 * a second time (the 503 then comes from {@link UnexpectedErrorHandler}).
 */
public record UnreachableDatabase(RuntimeException failure) implements PropagatedContextElement {

    /** Whether {@code error} says the database could not be reached, as opposed to a fault of the request. */
    public static boolean isCause(Throwable error) {
        return UnexpectedErrorHandler.databaseUnavailable(error);
    }

    /** Throws the remembered failure if this request already failed to get a connection. */
    public static void failIfKnown() {
        PropagatedContext.find().flatMap(c -> c.find(UnreachableDatabase.class)).ifPresent(u -> {
            throw u.failure();
        });
    }
}
