package realty.api.security;

import realty.core.security.Caller;
import realty.api.security.PermissionMatrix;
import realty.api.security.PermissionMatrix.Action;
import realty.api.security.PermissionMatrix.Resource;
import realty.api.security.PermissionMatrix.Scope;
import realty.core.security.Profile;
import realty.core.tenancy.RowScope;

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

    /**
     * The row scope for {@code action} on {@code resource}: the caller's companies, narrowed to their
     * own rows when only "own" grants reach it, through the links their own profiles give: an agent's
     * agent records (listed, assigned, sold), a prospector's properties brought in, a portal user's
     * own rows (owner, buyer).
     */
    public static RowScope scope(Caller caller, Resource resource, Action action) {
        RowScope companies = RowScope.of(caller);
        Set<Profile> own = ownProfiles(caller, resource, action);
        if (own.isEmpty()) {
            return companies;
        }
        if (resource != Resource.PROPERTY && resource != Resource.ASSIGNMENT) {
            // sales and commissions are the caller's through every link they have (spec/domain.md §2.2)
            return companies.own(caller.userId());
        }
        return companies.own(caller.userId(), own.contains(Profile.AGENT), own.contains(Profile.PROSPECTOR),
                own.contains(Profile.PORTAL));
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
