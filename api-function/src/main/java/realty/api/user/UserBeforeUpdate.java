package realty.api.user;

import realty.core.security.Caller;
import realty.core.security.Profile;

import java.util.Set;
import java.util.UUID;

/**
 * {@code user.before_update}: published synchronously before a user's profiles, companies or active
 * flag change. A listener that throws aborts the change; nothing is written.
 */
public record UserBeforeUpdate(Caller caller, UUID userId, Set<Profile> profilesBefore, Set<Profile> profilesAfter,
                               Set<UUID> companiesBefore, Set<UUID> companiesAfter, boolean activeBefore,
                               boolean activeAfter) {
}
