package realty.api.company;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import realty.api.security.Access;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.api.web.ProblemException;
import realty.core.security.Caller;
import realty.core.tenancy.RowScope;

import java.util.UUID;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;

import static realty.api.security.PermissionMatrix.Action.READ;
import static realty.api.security.PermissionMatrix.Resource.COMPANY;

/** {@code GET /api/v1/companies} and {@code GET /api/v1/companies/{id}}: the caller's companies (all for the platform admin). */
@Controller("/api/v1/companies")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Companies")
@ApiErrors.Authenticated
public class CompanyQueryController {
    private final CompanyRepository companies;

    public CompanyQueryController(CompanyRepository companies) {
        this.companies = companies;
    }

    @Get
    @Operation(operationId = "listCompanies", summary = "List companies",
            description = "The caller's companies; every company for the platform admin.")
    @ApiErrors.Invalid
    public Page<CompanyController.CompanyView> list(Caller caller, @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        Access.require(caller, COMPANY, READ);
        PageRequest page = PageRequest.of(limit, cursor);
        return page.page(companies.list(RowScope.of(caller), page.afterOrMin(), page.limit() + 1), CompanyController.CompanyView::id);
    }

    @Get("/{id}")
    @Operation(operationId = "getCompany", summary = "Get a company")
    @ApiErrors.NotFound
    public CompanyController.CompanyView get(Caller caller, @PathVariable UUID id) {
        Access.require(caller, COMPANY, READ);
        return companies.find(RowScope.of(caller), id).orElseThrow(() -> ProblemException.notFound("company"));
    }
}
