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
import realty.api.web.PageRequest;
import realty.api.web.ProblemException;
import realty.core.consumer.ConsumerOutcomes;
import realty.core.security.Profile;
import realty.core.security.Caller;
import realty.core.tenancy.RowScope;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

import java.util.UUID;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;

/**
 * {@code GET /api/v1/events/{id}}: where an event is, per consumer; {@code GET /api/v1/events?aggregateType=&aggregateId=}:
 * the history of one row (the outbox is the event store); {@code GET /api/v1/events?status=RETRYING|DEAD&type=&correlationId=}:
 * the failing background work. All only within the caller's companies.
 */
@Controller("/api/v1/events")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Events", description = "Where the events of a write are: in the outbox, published, processed by each consumer, retrying or dead.")
@ApiErrors.Authenticated
public class EventController {
    /** Who sees a company's failing background work (issue 15): its administrative profiles. */
    private static final Set<Profile> STAFF = EnumSet.of(Profile.OWNER, Profile.DIRECTOR, Profile.MANAGER);
    private static final List<String> FAILING = List.of(ConsumerOutcomes.RETRYING, ConsumerOutcomes.DEAD);

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
                          @Nullable @QueryValue String status, @Nullable @QueryValue String type,
                          @Nullable @QueryValue String correlationId,
                          @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        if (aggregateType == null && aggregateId == null && (status != null || type != null || correlationId != null)) {
            return failing(caller, status, type, correlationId, limit, cursor);
        }
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

    /**
     * The staff view of background work: the company's events that a consumer is retrying or has
     * dead-lettered, for its owners, directors and managers (and the platform admin), newest first.
     * The cursor is the last event's sequence number.
     */
    private EventList failing(Caller caller, @Nullable String status, @Nullable String type, @Nullable String correlationId,
                              @Nullable Integer limit, @Nullable String cursor) {
        if (!caller.platformAdmin() && caller.profiles().stream().noneMatch(STAFF::contains)) {
            throw ProblemException.forbidden("the background work of a company is shown to its owners, directors and managers");
        }
        if (status != null && !FAILING.contains(status)) {
            throw ProblemException.badRequest("invalid status", Map.of("status", "RETRYING or DEAD"));
        }
        long before;
        try {
            before = cursor == null || cursor.isBlank() ? Long.MAX_VALUE : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("invalid cursor", Map.of("cursor", "not a cursor of this list"));
        }
        EventHistory.Page page = history.failing(RowScope.of(caller), status, type, correlationId, before,
                PageRequest.of(limit, null).limit());
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
