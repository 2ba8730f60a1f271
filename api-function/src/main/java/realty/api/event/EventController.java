package realty.api.event;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import realty.api.web.ProblemException;
import realty.core.security.Caller;

import java.util.UUID;

/** {@code GET /api/v1/events/{id}}: where an event is, per consumer. */
@Controller("/api/v1/events")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class EventController {
    private final EventHistory history;

    public EventController(EventHistory history) {
        this.history = history;
    }

    @Get("/{id}")
    public EventStatusView get(Caller caller, @PathVariable UUID id) {
        return history.find(id)
                .filter(e -> caller.platformAdmin() || (e.companyId() != null && caller.companyIds().contains(e.companyId())))
                .orElseThrow(() -> ProblemException.notFound("event"));
    }
}
