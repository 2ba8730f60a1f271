package realty.api.me;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import realty.core.security.Caller;

import java.util.List;
import java.util.UUID;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;

/** {@code GET /api/v1/me}: who the token belongs to and what the database says they hold now. */
@Controller("/api/v1/me")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Me", description = "The caller.")
@ApiErrors.Authenticated
public class MeController {

    @Serdeable
    public record Me(String id, String email, List<String> profiles, List<UUID> companyIds, boolean platformAdmin) {
    }

    @Get
    @Operation(operationId = "me", summary = "Who am I",
            description = "The token's user as the database has them now: id, e-mail, profiles, companies.")
    public Me me(Caller caller) {
        return new Me(caller.actorId(), caller.username(), caller.profileCodes(),
                caller.companyIds().stream().sorted().toList(), caller.platformAdmin());
    }
}
