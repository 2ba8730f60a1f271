package realty.api.security;

import realty.core.security.Caller;
import realty.api.security.PermissionMatrix;
import realty.api.security.PermissionMatrix.Action;
import realty.api.security.PermissionMatrix.Resource;
import realty.api.security.PermissionMatrix.Scope;
import realty.core.security.Profile;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which of the caller's profiles reach a row only through the "own" scope for an action: an agent
 * owns properties they list or are assigned to, a prospector the properties they brought in, a
 * portal user the properties they own. Callers check the profiles returned here against the row.
 */
public final class OwnRows {
    private OwnRows() {
    }

    /** Profiles that grant {@code action} on {@code resource} only for own rows (empty if some profile grants CO). */
    public static Set<Profile> ownProfiles(Caller caller, Resource resource, Action action) {
        Set<Profile> own = EnumSet.noneOf(Profile.class);
        for (Profile p : caller.profiles()) {
            Scope s = PermissionMatrix.grantOf(p, resource, action).orElse(null);
            if (s == Scope.CO) {
                return EnumSet.noneOf(Profile.class);
            }
            if (s == Scope.OWN) {
                own.add(p);
            }
        }
        return own;
    }
}
