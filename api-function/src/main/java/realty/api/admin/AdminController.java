package realty.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.api.deadletter.DeadLetter;
import realty.api.deadletter.DeadLetterFilter;
import realty.core.security.Caller;

import java.util.List;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The operator's API (platform admin only): queue health and the dead-letter queues. The page at
 * {@code /admin} is a thin client of these endpoints.
 */
@Controller("/api/v1/admin")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Admin", description = "The operator's API: queue health and dead letters. Platform admin only (403 for anyone else).")
@ApiErrors.Authenticated
public class AdminController {
    private static final int MAX_LIST = 500;
    private static final int MAX_BULK = 1_000;

    private final QueueHealth health;
    private final DeadLetterReplayer deadLetters;

    public AdminController(QueueHealth health, DeadLetterReplayer deadLetters) {
        this.health = health;
        this.deadLetters = deadLetters;
    }

    @Serdeable
    public record DeadLetterList(@JsonInclude(JsonInclude.Include.ALWAYS) List<DeadLetter> items, @Nullable String nextCursor) {
    }

    @Serdeable
    public record ActionList(@JsonInclude(JsonInclude.Include.ALWAYS) List<DeadLetterReplayer.ActionView> items) {
    }

    /** A bulk replay: every dead letter of {@code queue} that the filter matches, up to {@code limit}. */
    @Serdeable
    @Schema(example = """
            {"queue": "commission_events", "eventType": "sale.created", "failureKind": "attempts-exhausted", "limit": 100}""")
    public record BulkReplay(String queue, @Nullable String eventType, @Nullable String failureKind,
                             @Nullable String failedFunction, @Nullable String errorContains, @Nullable Integer limit) {
    }

    @Get("/queues")
    @Operation(operationId = "adminQueues", summary = "Queue health",
            description = "Per work queue: ready, unacked, consumers, DLQ depth, oldest message age, processed/failed in the last 5 min, p95 processing time; status healthy, degraded, failing or unknown.")
    public QueueHealth.Report queues(Caller caller) {
        requireAdmin(caller);
        return health.report();
    }

    @Get("/dead-letters")
    @Operation(operationId = "listDeadLetters", summary = "Dead letters",
            description = "Messages in the dead-letter queues (all, or those of `queue`) with their failure headers.")
    @ApiErrors.Invalid
    public DeadLetterList list(Caller caller, @Nullable @QueryValue String queue, @Nullable @QueryValue Integer limit) {
        requireAdmin(caller);
        return new DeadLetterList(deadLetters.list(queue, clamp(limit, 50, MAX_LIST)), null);
    }

    @Get("/dead-letters/actions")
    @Operation(operationId = "listDeadLetterActions", summary = "Recent replays and discards",
            description = "The latest operator actions on dead letters, newest first.")
    public ActionList actions(Caller caller, @Nullable @QueryValue Integer limit) {
        requireAdmin(caller);
        return new ActionList(deadLetters.recent(clamp(limit, 50, MAX_LIST)));
    }

    @Post("/dead-letters/{id}/replay")
    @Operation(operationId = "replayDeadLetter", summary = "Replay a dead letter",
            description = "Back to its work queue with attempts reset; audited. `queue` narrows the search.")
    @ApiErrors.NotFound
    public DeadLetterReplayer.ActionResult replay(Caller caller, HttpRequest<?> request, @PathVariable String id,
                                                  @Nullable @QueryValue String queue) {
        requireAdmin(caller);
        return deadLetters.replay(caller, RequestInfo.of(request), id, queue);
    }

    @Post("/dead-letters/replay")
    @Operation(operationId = "replayDeadLetters", summary = "Replay dead letters in bulk",
            description = "Every dead letter of `queue` that the filter matches, up to `limit` (at most 1,000); audited.")
    @ApiErrors.WithBody
    public DeadLetterReplayer.ActionResult replayAll(Caller caller, HttpRequest<?> request, @Body BulkReplay body) {
        requireAdmin(caller);
        DeadLetterFilter filter = new DeadLetterFilter(body.eventType(), body.failureKind(), body.failedFunction(),
                body.errorContains());
        return deadLetters.replayAll(caller, RequestInfo.of(request), body.queue(), filter, clamp(body.limit(), MAX_BULK, MAX_BULK));
    }

    @Delete("/dead-letters/{id}")
    @Operation(operationId = "discardDeadLetter", summary = "Discard a dead letter",
            description = "Removes it from its DLQ; audited.")
    @ApiErrors.NotFound
    public DeadLetterReplayer.ActionResult discard(Caller caller, HttpRequest<?> request, @PathVariable String id,
                                                   @Nullable @QueryValue String queue) {
        requireAdmin(caller);
        return deadLetters.discard(caller, RequestInfo.of(request), id, queue);
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.platformAdmin()) {
            throw ProblemException.forbidden("platform admin only");
        }
    }

    private static int clamp(Integer given, int fallback, int max) {
        return given == null || given < 1 ? fallback : Math.min(given, max);
    }
}
