package realty.api.security;

import realty.api.web.ProblemException;
import realty.core.security.Caller;
import realty.api.security.PermissionMatrix;
import realty.api.security.PermissionMatrix.Action;
import realty.api.security.PermissionMatrix.Resource;
import realty.api.security.PermissionMatrix.Scope;

import java.util.Optional;
import java.util.UUID;

/**
 * The authorisation rules of spec/domain.md §2.2 as the controllers apply them:
 * an action the caller's profiles never allow on a resource type → 403 before any lookup (so the
 * answer reveals nothing about rows); a row outside the caller's read scope → 404; a visible row
 * the action's scope does not cover → 403; creating in a company the caller does not belong to →
 * 403 "multi-tenancy violation".
 */
public final class Access {
    private Access() {
    }

    public static Scope require(Caller caller, Resource resource, Action action) {
        return PermissionMatrix.scopeOf(caller, resource, action).orElseThrow(() -> ProblemException.forbidden(
                "your profiles may not " + action.name().toLowerCase() + " " + resource.name().toLowerCase().replace('_', ' ')));
    }

    public static Optional<Scope> scope(Caller caller, Resource resource, Action action) {
        return PermissionMatrix.scopeOf(caller, resource, action);
    }

    public static void requireCompany(Caller caller, UUID companyId) {
        if (companyId == null) {
            throw ProblemException.badRequest("companyId is required", java.util.Map.of("companyId", "required"));
        }
        if (!caller.belongsTo(companyId)) {
            throw ProblemException.multiTenancyViolation("you do not belong to company " + companyId);
        }
    }

    /**
     * @return the company a request names, checked with {@link #requireCompany}, or the caller's only
     *         company when it names none; 400 when it names none and the caller has several (or is the platform admin)
     */
    public static UUID companyOrSole(Caller caller, UUID requested) {
        if (requested == null) {
            if (caller.companyIds().size() != 1) {
                throw ProblemException.badRequest("companyId is required", java.util.Map.of("companyId",
                        "required: you belong to " + (caller.platformAdmin() ? "every company" : caller.companyIds().size() + " companies")));
            }
            return caller.companyIds().iterator().next();
        }
        requireCompany(caller, requested);
        return requested;
    }

    /** A visible row the action does not cover. */
    public static ProblemException forbiddenOnRow(Resource resource, Action action) {
        return ProblemException.forbidden("your profiles may not " + action.name().toLowerCase() + " this "
                + resource.name().toLowerCase().replace('_', ' '));
    }
}
