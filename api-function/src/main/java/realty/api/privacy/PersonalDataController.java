package realty.api.privacy;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;
import realty.api.web.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import realty.api.web.RequestInfo;
import realty.core.security.Caller;

import java.util.UUID;

/**
 * Data-subject requests on a user (LGPD art. 18): {@code GET /api/v1/users/{id}/personal-data} and
 * {@code POST /api/v1/users/{id}/anonymise}. Apart from UserController so the user account code and
 * the privacy code change independently.
 */
@Tag(name = "Privacy", description = "Personal data export and anonymisation (LGPD).")
@ApiErrors.Authenticated
@Controller("/api/v1/users")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class PersonalDataController {
    private final PersonalDataService personalData;

    public PersonalDataController(PersonalDataService personalData) {
        this.personalData = personalData;
    }

    @Operation(operationId = "personalData", summary = "A user's personal data (LGPD)",
            description = "Everything held about the user: the user row, profiles, companies, agent records and the audit rows where they acted. The user themself, or the owner or legal profile of their company.")
    @ApiErrors.NotFound
    @Get("/{id}/personal-data")
    public PersonalDataService.PersonalData personalData(Caller caller, @PathVariable UUID id) {
        return personalData.personalData(caller, id);
    }

    @Operation(operationId = "anonymiseUser", summary = "Anonymise a user (LGPD)",
            description = "Replaces name and e-mail, keeps ids, deactivates the user; audited. Owner or legal of the user's company.")
    @ApiErrors.NotFound
    @ApiErrors.BusinessRule
    @Post("/{id}/anonymise")
    public PersonalDataService.Anonymised anonymise(Caller caller, @PathVariable UUID id, HttpRequest<?> request) {
        return personalData.anonymise(caller, id, RequestInfo.of(request));
    }
}
