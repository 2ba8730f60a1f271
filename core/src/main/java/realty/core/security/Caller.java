package realty.core.security;

import io.micronaut.core.annotation.Nullable;

import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, as loaded from the database on this request (a token carries identity only, so
 * profile and company changes apply on the next request). A {@link Principal}, so the OpenAPI
 * processor, reading controller signatures, sees a caller argument as the authenticated user and
 * not as a request parameter.
 *
 * @param userId        the users row; null only for a platform admin built without one (tests)
 * @param platformAdmin the SaaS operator: creates companies, sees every tenant, belongs to none
 */
public record Caller(@Nullable UUID userId, String username, Set<Profile> profiles, Set<UUID> companyIds,
                     boolean platformAdmin) implements Principal {

    public static final String PLATFORM_ADMIN_SUBJECT = "platform-admin";

    public static Caller platformAdmin(String username) {
        return new Caller(null, username, Set.of(), Set.of(), true);
    }

    /** The platform admin's users row: no profile and no company, whatever else the database holds. */
    public static Caller platformAdmin(UUID userId, String username) {
        return new Caller(userId, username, Set.of(), Set.of(), true);
    }

    public boolean has(Profile profile) {
        return profiles.contains(profile);
    }

    public boolean belongsTo(UUID companyId) {
        return platformAdmin || companyIds.contains(companyId);
    }

    public List<String> profileCodes() {
        return profiles.stream().map(Profile::code).sorted().toList();
    }

    /** The id written as actor in events and audit rows. */
    public String actorId() {
        return platformAdmin ? PLATFORM_ADMIN_SUBJECT : userId.toString();
    }

    @Override
    public String getName() {
        return username;
    }
}
