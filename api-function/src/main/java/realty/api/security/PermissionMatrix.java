package realty.api.security;

import realty.core.security.Profile;
import realty.core.security.Caller;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import static realty.api.security.PermissionMatrix.Action.*;
import static realty.api.security.PermissionMatrix.Resource.*;
import static realty.api.security.PermissionMatrix.Scope.*;

/**
 * The permission matrix of spec/domain.md §2.2, the one table the authorisation checks read and the
 * matrix test walks. A profile's grant is (resource, action) → scope; a user's permissions are the
 * union over their profiles, taking the widest scope. The platform admin is handled apart (any
 * resource, every tenant) except that nobody may change or delete audit logs.
 */
public final class PermissionMatrix {

    public enum Resource { COMPANY, USER, AGENT, PROPERTY, ASSIGNMENT, SALE, COMMISSION_RULE, COMMISSION_TRANSACTION, AUDIT_LOG, WEBHOOK }

    /** EXPORT: the audit log's bulk export, narrower than READ: owner and legal only. RECALCULATE: a sale's commission split computed again (owner, director, manager, financial). Both issue 15. */
    public enum Action { CREATE, READ, UPDATE, DELETE, PAY, CANCEL, DEACTIVATE, EXPORT, RECALCULATE }

    /** CO: rows of the caller's companies; OWN: rows linked to the caller. Wider scopes come first. */
    public enum Scope { CO, OWN }

    private static final Map<Profile, Map<Resource, Map<Action, Scope>>> GRANTS = new EnumMap<>(Profile.class);

    static {
        grant(Profile.OWNER, COMPANY, CO, READ, UPDATE);
        grant(Profile.OWNER, USER, CO, CREATE, READ, UPDATE, DEACTIVATE);
        crud(Profile.OWNER, AGENT, PROPERTY, ASSIGNMENT, SALE, COMMISSION_RULE, WEBHOOK);
        grant(Profile.OWNER, COMMISSION_TRANSACTION, CO, READ, PAY, CANCEL);
        grant(Profile.OWNER, AUDIT_LOG, CO, READ, EXPORT);
        grant(Profile.OWNER, SALE, CO, RECALCULATE);

        grant(Profile.DIRECTOR, COMPANY, CO, READ);
        // §2.2 lists only R here, but §2.1 lets directors create staff users and a director has
        // "manager rights plus": we follow §2.1 (see docs/architecture.md, "Spec decisions").
        grant(Profile.DIRECTOR, USER, CO, CREATE, READ);
        crud(Profile.DIRECTOR, AGENT, PROPERTY, ASSIGNMENT, SALE);
        grant(Profile.DIRECTOR, COMMISSION_RULE, CO, CREATE, READ, UPDATE);
        grant(Profile.DIRECTOR, COMMISSION_TRANSACTION, CO, READ, PAY);
        grant(Profile.DIRECTOR, AUDIT_LOG, CO, READ);
        grant(Profile.DIRECTOR, WEBHOOK, CO, READ);
        grant(Profile.DIRECTOR, SALE, CO, RECALCULATE);

        grant(Profile.MANAGER, COMPANY, CO, READ);
        grant(Profile.MANAGER, USER, CO, CREATE, READ);
        crud(Profile.MANAGER, AGENT, PROPERTY, ASSIGNMENT, SALE, COMMISSION_RULE, WEBHOOK);
        grant(Profile.MANAGER, COMMISSION_TRANSACTION, CO, READ);
        grant(Profile.MANAGER, SALE, CO, RECALCULATE);

        grant(Profile.AGENT, COMPANY, CO, READ);
        grant(Profile.AGENT, USER, CO, CREATE); // portal users only (§2.1)
        grant(Profile.AGENT, AGENT, CO, READ);
        grant(Profile.AGENT, AGENT, OWN, UPDATE);
        grant(Profile.AGENT, PROPERTY, CO, CREATE);
        grant(Profile.AGENT, PROPERTY, OWN, READ, UPDATE);
        grant(Profile.AGENT, ASSIGNMENT, OWN, READ);
        grant(Profile.AGENT, SALE, OWN, CREATE, READ);
        grant(Profile.AGENT, COMMISSION_RULE, OWN, READ);
        grant(Profile.AGENT, COMMISSION_TRANSACTION, OWN, READ);

        grant(Profile.PROSPECTOR, AGENT, CO, READ);
        grant(Profile.PROSPECTOR, PROPERTY, CO, CREATE);
        grant(Profile.PROSPECTOR, PROPERTY, OWN, READ);
        grant(Profile.PROSPECTOR, COMMISSION_TRANSACTION, OWN, READ);

        grant(Profile.RECEPTIONIST, AGENT, CO, READ);
        grant(Profile.RECEPTIONIST, PROPERTY, CO, READ);
        grant(Profile.RECEPTIONIST, ASSIGNMENT, CO, READ);

        grant(Profile.FINANCIAL, AGENT, CO, READ);
        grant(Profile.FINANCIAL, PROPERTY, CO, READ);
        grant(Profile.FINANCIAL, SALE, CO, READ);
        crud(Profile.FINANCIAL, COMMISSION_RULE);
        grant(Profile.FINANCIAL, COMMISSION_TRANSACTION, CO, READ, PAY, CANCEL);
        grant(Profile.FINANCIAL, SALE, CO, RECALCULATE);

        grant(Profile.LEGAL, AGENT, CO, READ);
        grant(Profile.LEGAL, PROPERTY, CO, READ);
        grant(Profile.LEGAL, SALE, CO, READ);
        grant(Profile.LEGAL, COMMISSION_TRANSACTION, CO, READ);
        grant(Profile.LEGAL, AUDIT_LOG, CO, READ, EXPORT);

        grant(Profile.PORTAL, PROPERTY, OWN, READ);
        grant(Profile.PORTAL, SALE, OWN, READ);
    }

    private PermissionMatrix() {
    }

    private static void crud(Profile profile, Resource... resources) {
        for (Resource r : resources) {
            grant(profile, r, CO, CREATE, READ, UPDATE, DELETE);
        }
    }

    private static void grant(Profile profile, Resource resource, Scope scope, Action... actions) {
        Map<Action, Scope> byAction = GRANTS.computeIfAbsent(profile, p -> new EnumMap<>(Resource.class))
                .computeIfAbsent(resource, r -> new EnumMap<>(Action.class));
        for (Action a : actions) {
            byAction.merge(a, scope, (x, y) -> x.ordinal() <= y.ordinal() ? x : y);
        }
    }

    /** The grant of one profile, for the matrix test. */
    public static Optional<Scope> grantOf(Profile profile, Resource resource, Action action) {
        return Optional.ofNullable(GRANTS.getOrDefault(profile, Map.of()).getOrDefault(resource, Map.of()).get(action));
    }

    /** The widest scope any of the caller's profiles gives for this action, or empty if none does. */
    public static Optional<Scope> scopeOf(Caller caller, Resource resource, Action action) {
        if (caller.platformAdmin()) {
            return resource == AUDIT_LOG && action != READ ? Optional.empty() : Optional.of(CO);
        }
        Scope widest = null;
        for (Profile p : caller.profiles()) {
            Scope s = grantOf(p, resource, action).orElse(null);
            if (s != null && (widest == null || s.ordinal() < widest.ordinal())) {
                widest = s;
            }
        }
        return Optional.ofNullable(widest);
    }
}
