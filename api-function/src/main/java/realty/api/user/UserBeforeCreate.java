package realty.api.user;

import realty.core.security.Caller;
import realty.core.security.Profile;

import java.util.Set;
import java.util.UUID;

/**
 * {@code user.before_create}: published synchronously before a user is written. A listener that
 * throws aborts the creation; nothing is written.
 */
public record UserBeforeCreate(Caller caller, String email, Set<Profile> profiles, Set<UUID> companyIds) {
}
