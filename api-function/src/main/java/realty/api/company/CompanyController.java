package realty.api.company;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.api.web.SqlState;
import realty.core.id.TimeOrderedIds;
import realty.core.security.Caller;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;
import io.swagger.v3.oas.annotations.media.Schema;

/** {@code POST /api/v1/companies}: the platform admin opens a new agency (tenant); {@code PATCH /api/v1/companies/{id}}: its owner edits it. */
@Controller("/api/v1/companies")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Companies", description = "Agencies (tenants).")
@ApiErrors.Authenticated
public class CompanyController {
    private final CompanyRepository companies;
    private final CompanyService updates;

    public CompanyController(CompanyRepository companies, CompanyService updates) {
        this.companies = companies;
        this.updates = updates;
    }

    @Serdeable
    @Schema(example = """
            {"name": "Imobiliária Sol", "legalName": "Sol Negócios Imobiliários Ltda", "cnpj": "11.222.333/0001-81", "creci": "J-1234"}""")
    public record CreateCompanyRequest(@NotBlank @Size(max = 200) String name, @Nullable @Size(max = 200) String legalName,
                                       @Nullable @Size(max = 18) String cnpj, @Nullable @Size(max = 40) String creci) {
    }

    @Serdeable
    public record CompanyView(UUID id, String name, @Nullable String legalName, @Nullable String cnpj,
                              @Nullable String creci, boolean active, Instant createdAt) {
    }

    /** PATCH body: an absent field stays as it is; an empty string clears legalName, cnpj or creci. */
    @Serdeable
    public record UpdateCompanyRequest(@Nullable @Size(max = 200) String name, @Nullable @Size(max = 200) String legalName,
                                       @Nullable @Size(max = 18) String cnpj, @Nullable @Size(max = 40) String creci) {
    }

    /** The owner edits their company (domain.md §2.2: owner RU own companies); emits company.updated. */
    @Patch("/{id}")
    public CompanyService.Updated update(Caller caller, @PathVariable UUID id, @Body @Valid UpdateCompanyRequest body, HttpRequest<?> request) {
        return updates.update(caller, id, body, RequestInfo.of(request));
    }

    @Post
    @Operation(operationId = "createCompany", summary = "Create a company",
            description = "Platform admin only. `cnpj`, when given, must be a valid CNPJ (punctuation allowed) not yet registered.")
    @ApiResponse(responseCode = "201", description = "The company", useReturnTypeSchema = true)
    @ApiErrors.WithBody
    @ApiErrors.Conflict
    public HttpResponse<CompanyView> create(Caller caller, @Body @Valid CreateCompanyRequest body) {
        if (!caller.platformAdmin()) {
            throw ProblemException.forbidden("only the platform admin creates companies");
        }
        String cnpj = null;
        if (body.cnpj() != null && !body.cnpj().isBlank()) {
            cnpj = Cnpj.normalize(body.cnpj());
            if (cnpj == null) {
                throw ProblemException.badRequest("invalid CNPJ", Map.of("cnpj", "not a valid CNPJ (14 digits with check digits)"));
            }
        }
        CompanyView view = new CompanyView(TimeOrderedIds.next(), body.name().trim(), body.legalName(), cnpj, body.creci(), true,
                Instant.now());
        try {
            companies.insert(view.id(), view.name(), view.legalName(), view.cnpj(), view.creci(), view.createdAt());
        } catch (DataAccessException e) {
            if (SqlState.UNIQUE_VIOLATION.of(e)) {
                throw ProblemException.conflict("a company with this CNPJ already exists", Map.of("cnpj", "already registered"));
            }
            throw e;
        }
        return HttpResponse.created(view);
    }
}
