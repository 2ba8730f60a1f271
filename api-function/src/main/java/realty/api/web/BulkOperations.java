package realty.api.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import realty.core.bulk.BulkProgress;
import realty.core.event.EventEnvelope;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Opening a bulk operation from an API call (bulk sale, property import), with the API's answer to a reused request id. */
public final class BulkOperations {
    private BulkOperations() {
    }

    /**
     * @throws ProblemException 409 when a bulk of this company with the same {@code X-Request-Id} is
     *                          still running: its events could not be told apart
     */
    public static UUID open(BulkProgress bulks, String kind, UUID companyId, String requestId, @Nullable UUID startedBy,
                            int itemCount, List<EventEnvelope> events) {
        try {
            return bulks.open(kind, companyId, requestId, startedBy, itemCount, events);
        } catch (DataAccessException e) {
            if (SqlState.UNIQUE_VIOLATION.of(e)) {
                throw ProblemException.conflict("a bulk operation with this X-Request-Id is still running",
                        Map.of("X-Request-Id", "use a new request id for each bulk operation"));
            }
            throw e;
        }
    }
}
