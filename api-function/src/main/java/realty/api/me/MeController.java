package realty.api.me;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import realty.core.security.Caller;

import java.util.List;
import java.util.UUID;

/** {@code GET /api/v1/me}: who the token belongs to and what the database says they hold now. */
@Controller("/api/v1/me")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class MeController {

    @Serdeable
    public record Me(String id, String email, List<String> profiles, List<UUID> companyIds, boolean platformAdmin) {
    }

    @Get
    public Me me(Caller caller) {
        return new Me(caller.actorId(), caller.username(), caller.profileCodes(),
                caller.companyIds().stream().sorted().toList(), caller.platformAdmin());
    }
}
