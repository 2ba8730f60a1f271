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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;

/** {@code /api/v1/commission-rules}. */
@Controller("/api/v1/commission-rules")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Commission rules", description = "How an agent's commission is computed: a percentage of the sale price or a fixed amount, for a price range and a validity period.")
@ApiErrors.Authenticated
public class CommissionRuleController {
    private final CommissionRuleService rules;

    public CommissionRuleController(CommissionRuleService rules) {
        this.rules = rules;
    }

    @Post
    @Operation(operationId = "createCommissionRule", summary = "Create a commission rule",
            description = "Owner, director, manager, financial. `structure` `percentage` needs `percentage`, `fixed` needs `fixedAmount`; the rule applies to sales priced from `minTransactionValue` up to `maxTransactionValue` whose date is within `validFrom`..`validUntil`.")
    @ApiResponse(responseCode = "201", description = "The rule", useReturnTypeSchema = true)
    @ApiErrors.WithBody
    public HttpResponse<RuleView> create(Caller caller, @Body @Valid RuleRequests.Create body) {
        return HttpResponse.created(rules.create(caller, body));
    }

    @Get
    @Operation(operationId = "listCommissionRules", summary = "List commission rules",
            description = "Optionally of one agent, active or not. Agents see their own.")
    @ApiErrors.Invalid
    public Page<RuleView> list(Caller caller, @Nullable @QueryValue UUID agentId, @Nullable @QueryValue Boolean active,
                               @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        return rules.list(caller, agentId, active, PageRequest.of(limit, cursor));
    }

    @Get("/{id}")
    @Operation(operationId = "getCommissionRule", summary = "Get a commission rule")
    @ApiErrors.NotFound
    public RuleView get(Caller caller, @PathVariable UUID id) {
        return rules.get(caller, id);
    }

    @Patch("/{id}")
    @Operation(operationId = "updateCommissionRule", summary = "Update a commission rule",
            description = "Fields left out keep their value; the version goes up by one.")
    @ApiErrors.WithBody
    @ApiErrors.NotFound
    public RuleView update(Caller caller, @PathVariable UUID id, @Body @Valid RuleRequests.Patch body) {
        return rules.update(caller, id, body);
    }

    @Delete("/{id}")
    @Operation(operationId = "deactivateCommissionRule", summary = "Deactivate a commission rule",
            description = "The rule stays for the sales it priced; it no longer applies to new ones.")
    @ApiResponse(responseCode = "204", description = "Deactivated")
    @ApiErrors.NotFound
    public HttpResponse<Void> deactivate(Caller caller, @PathVariable UUID id) {
        rules.deactivate(caller, id);
        return HttpResponse.noContent();
    }
}
