package realty.local.rbac;

import realty.api.security.PermissionMatrix.Action;
import realty.api.security.PermissionMatrix.Resource;
import realty.api.security.PermissionMatrix.Scope;
import realty.core.security.Profile;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import static realty.api.security.PermissionMatrix.Resource.*;

/**
 * spec/domain.md §2.2 transcribed by hand, independently of the code's PermissionMatrix: the tests
 * check the code's table against this one and the API's answers against both. EXPORT of the audit log
 * (owner and legal) is issue 15's addition to §2.2.
 */
final class DomainMatrix {
    private static final Resource[] COLUMNS = {COMPANY, USER, AGENT, PROPERTY, ASSIGNMENT, SALE, COMMISSION_RULE,
            COMMISSION_TRANSACTION, AUDIT_LOG, WEBHOOK};

    private static final Map<Profile, String[]> ROWS = new EnumMap<>(Map.of(
            // Sale: RECALCULATE is issue 15's (owner, director, manager, financial), not in §2.2's table
            Profile.OWNER, new String[]{"R co,U co", "C co,R co,U co,DEACTIVATE co", "CRUD co", "CRUD co", "CRUD co", "CRUD co,RECALCULATE co",
                    "CRUD co", "R co,PAY co,CANCEL co", "R co,EXPORT co", "CRUD co"},
            // User: §2.2 says "R co", but §2.1 lets directors create staff users (manager rights plus): C per 2.1
            Profile.DIRECTOR, new String[]{"R co", "R co,C co", "CRUD co", "CRUD co", "CRUD co", "CRUD co,RECALCULATE co", "C co,R co,U co",
                    "R co,PAY co", "R co", "R co"},
            Profile.MANAGER, new String[]{"R co", "R co,C co", "CRUD co", "CRUD co", "CRUD co", "CRUD co,RECALCULATE co", "CRUD co", "R co", "",
                    "CRUD co"},
            Profile.AGENT, new String[]{"R co", "C co", "R co,U own", "C co,R own,U own", "R own", "C own,R own", "R own", "R own",
                    "", ""},
            Profile.PROSPECTOR, new String[]{"", "", "R co", "C co,R own", "", "", "", "R own", "", ""},
            Profile.RECEPTIONIST, new String[]{"", "", "R co", "R co", "R co", "", "", "", "", ""},
            Profile.FINANCIAL, new String[]{"", "", "R co", "R co", "", "R co,RECALCULATE co", "CRUD co", "R co,PAY co,CANCEL co", "", ""},
            Profile.LEGAL, new String[]{"", "", "R co", "R co", "", "R co", "", "R co", "R co,EXPORT co", ""},
            Profile.PORTAL, new String[]{"", "", "", "R own", "", "R own", "", "", "", ""}));

    private DomainMatrix() {
    }

    static Optional<Scope> grant(Profile profile, Resource resource, Action action) {
        String cell = ROWS.get(profile)[indexOf(resource)];
        for (String part : cell.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] ps = part.trim().split(" ");
            Scope scope = ps[1].equals("co") ? Scope.CO : Scope.OWN;
            String verbs = ps[0];
            if (verbs.equals(action.name())) {
                return Optional.of(scope);
            }
            if (verbs.matches("[CRUD]+") && action.ordinal() <= Action.DELETE.ordinal()
                    && verbs.indexOf(action.name().charAt(0)) >= 0) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    private static int indexOf(Resource r) {
        for (int i = 0; i < COLUMNS.length; i++) {
            if (COLUMNS[i] == r) {
                return i;
            }
        }
        throw new IllegalArgumentException(r.name());
    }
}
