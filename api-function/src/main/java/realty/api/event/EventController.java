package realty.api.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import realty.api.web.ProblemException;
import realty.core.security.Caller;
import realty.core.tenancy.RowScope;

import java.util.List;
import java.util.Map;

import java.util.UUID;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;

/**
 * {@code GET /api/v1/events/{id}}: where an event is, per consumer; {@code GET /api/v1/events?aggregateType=&aggregateId=}:
 * the history of one row (the outbox is the event store). Both only within the caller's companies.
 */
@Controller("/api/v1/events")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Events", description = "Where the events of a write are: in the outbox, published, processed by each consumer, retrying or dead.")
@ApiErrors.Authenticated
public class EventController {
    private final EventHistory history;

    public EventController(EventHistory history) {
        this.history = history;
    }

    @Serdeable
    public record EventList(@JsonInclude(JsonInclude.Include.ALWAYS) List<EventStatusView> items, @Nullable String nextCursor) {
    }

    @Get
    @Operation(operationId = "listEvents", summary = "Event history of one row",
            description = "Every event of the aggregate (`aggregateType` and `aggregateId` are required), oldest first; within the caller's companies.")
    @ApiErrors.Invalid
    public EventList list(Caller caller, @Nullable @QueryValue String aggregateType, @Nullable @QueryValue String aggregateId,
                          @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        if (aggregateType == null || aggregateType.isBlank() || aggregateId == null || aggregateId.isBlank()) {
            throw ProblemException.badRequest("aggregateType and aggregateId are required",
                    Map.of("aggregateType", "required", "aggregateId", "required"));
        }
        long after;
        try {
            after = cursor == null || cursor.isBlank() ? 0 : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("invalid cursor", Map.of("cursor", "not a cursor of this list"));
        }
        int size = limit == null || limit < 1 ? 50 : Math.min(limit, 500);
        EventHistory.Page page = history.byAggregate(RowScope.of(caller), aggregateType, aggregateId, after, size);
        return new EventList(page.items(), page.nextCursor());
    }

    @Get("/{id}")
    @Operation(operationId = "getEvent", summary = "Status of one event",
            description = "`PENDING` (in the outbox), `PUBLISHED`, `PROCESSED`, `RETRYING` or `DEAD`, with each consumer's status, attempts, processedAt and lastError.")
    @ApiErrors.NotFound
    public EventStatusView get(Caller caller, @PathVariable UUID id) {
        return history.find(RowScope.of(caller), id)
                .orElseThrow(() -> ProblemException.notFound("event"));
    }
}
