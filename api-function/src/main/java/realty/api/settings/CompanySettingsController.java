package realty.api.settings;

import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import realty.api.security.Access;
import realty.api.web.ProblemException;
import realty.core.security.Caller;
import realty.api.security.PermissionMatrix.Action;
import realty.api.security.PermissionMatrix.Resource;
import realty.api.company.CompanyRepository;
import realty.core.tenancy.RowScope;

import java.math.BigDecimal;
import java.sql.Connection;
import java.util.UUID;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code GET/PUT /api/v1/companies/{id}/settings}: the company's prospector share (domain.md §3,
 * default 30 %, 0–100). Every user of the company reads it; the owner (company update) changes it.
 */
@Controller("/api/v1/companies/{id}/settings")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Companies")
@ApiErrors.Authenticated
public class CompanySettingsController {
    private final TransactionOperations<Connection> tx;
    private final CompanyRepository companies;

    public CompanySettingsController(TransactionOperations<Connection> tx, CompanyRepository companies) {
        this.tx = tx;
        this.companies = companies;
    }

    @Serdeable
    @Schema(example = """
            {"prospectorSharePercent": 30.00}""")
    public record CompanySettings(@NotNull @DecimalMin("0") @DecimalMax("100") @Digits(integer = 3, fraction = 2)
                                  BigDecimal prospectorSharePercent) {
    }

    @Get
    @Operation(operationId = "getCompanySettings", summary = "Get a company's settings",
            description = "Any user of the company.")
    @ApiErrors.NotFound
    public CompanySettings get(Caller caller, @PathVariable UUID id) {
        return companies.findProspectorShare(RowScope.of(caller), id).map(CompanySettings::new)
                .orElseThrow(() -> ProblemException.notFound("company"));
    }

    @Put
    @Operation(operationId = "putCompanySettings", summary = "Change a company's settings",
            description = "Owner. `prospectorSharePercent`: the prospector's share of a split, 0 to 100 (default 30).")
    @ApiErrors.WithBody
    @ApiErrors.NotFound
    public CompanySettings put(Caller caller, @PathVariable UUID id, @Body @Valid CompanySettings body) {
        Access.require(caller, Resource.COMPANY, Action.UPDATE);
        CompanySettings current = get(caller, id); // 404 outside the caller's companies
        if (Access.scope(caller, Resource.COMPANY, Action.UPDATE).isEmpty()) {
            throw Access.forbiddenOnRow(Resource.COMPANY, Action.UPDATE);
        }
        if (current.prospectorSharePercent().compareTo(body.prospectorSharePercent()) != 0) {
            tx.executeWrite(status -> companies.updateProspectorShare(RowScope.of(caller), id, body.prospectorSharePercent()));
        }
        return get(caller, id);
    }
}
