package realty.api.privacy;

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
@Controller("/api/v1/users")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class PersonalDataController {
    private final PersonalDataService personalData;

    public PersonalDataController(PersonalDataService personalData) {
        this.personalData = personalData;
    }

    @Get("/{id}/personal-data")
    public PersonalDataService.PersonalData personalData(Caller caller, @PathVariable UUID id) {
        return personalData.personalData(caller, id);
    }

    @Post("/{id}/anonymise")
    public PersonalDataService.Anonymised anonymise(Caller caller, @PathVariable UUID id, HttpRequest<?> request) {
        return personalData.anonymise(caller, id, RequestInfo.of(request));
    }
}
