package realty.api.commission;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.core.security.Caller;

import java.util.UUID;

/** {@code /api/v1/commission-rules}. */
@Controller("/api/v1/commission-rules")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class CommissionRuleController {
    private final CommissionRuleService rules;

    public CommissionRuleController(CommissionRuleService rules) {
        this.rules = rules;
    }

    @Post
    public HttpResponse<RuleView> create(Caller caller, @Body @Valid RuleRequests.Create body) {
        return HttpResponse.created(rules.create(caller, body));
    }

    @Get
    public Page<RuleView> list(Caller caller, @Nullable @QueryValue UUID agentId, @Nullable @QueryValue Boolean active,
                               @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        return rules.list(caller, agentId, active, PageRequest.of(limit, cursor));
    }

    @Get("/{id}")
    public RuleView get(Caller caller, @PathVariable UUID id) {
        return rules.get(caller, id);
    }

    @Patch("/{id}")
    public RuleView update(Caller caller, @PathVariable UUID id, @Body @Valid RuleRequests.Patch body) {
        return rules.update(caller, id, body);
    }

    @Delete("/{id}")
    public HttpResponse<Void> deactivate(Caller caller, @PathVariable UUID id) {
        rules.deactivate(caller, id);
        return HttpResponse.noContent();
    }
}
