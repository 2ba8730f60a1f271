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

/**
 * The operator's API (platform admin only): queue health and the dead-letter queues. The page at
 * {@code /admin} is a thin client of these endpoints.
 */
@Controller("/api/v1/admin")
@Secured(SecurityRule.IS_AUTHENTICATED)
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
    public record BulkReplay(String queue, @Nullable String eventType, @Nullable String failureKind,
                             @Nullable String failedFunction, @Nullable String errorContains, @Nullable Integer limit) {
    }

    @Get("/queues")
    public QueueHealth.Report queues(Caller caller) {
        requireAdmin(caller);
        return health.report();
    }

    @Get("/dead-letters")
    public DeadLetterList list(Caller caller, @Nullable @QueryValue String queue, @Nullable @QueryValue Integer limit) {
        requireAdmin(caller);
        return new DeadLetterList(deadLetters.list(queue, clamp(limit, 50, MAX_LIST)), null);
    }

    @Get("/dead-letters/actions")
    public ActionList actions(Caller caller, @Nullable @QueryValue Integer limit) {
        requireAdmin(caller);
        return new ActionList(deadLetters.recent(clamp(limit, 50, MAX_LIST)));
    }

    @Post("/dead-letters/{id}/replay")
    public DeadLetterReplayer.ActionResult replay(Caller caller, HttpRequest<?> request, @PathVariable String id,
                                                  @Nullable @QueryValue String queue) {
        requireAdmin(caller);
        return deadLetters.replay(caller, RequestInfo.of(request), id, queue);
    }

    @Post("/dead-letters/replay")
    public DeadLetterReplayer.ActionResult replayAll(Caller caller, HttpRequest<?> request, @Body BulkReplay body) {
        requireAdmin(caller);
        DeadLetterFilter filter = new DeadLetterFilter(body.eventType(), body.failureKind(), body.failedFunction(),
                body.errorContains());
        return deadLetters.replayAll(caller, RequestInfo.of(request), body.queue(), filter, clamp(body.limit(), MAX_BULK, MAX_BULK));
    }

    @Delete("/dead-letters/{id}")
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
