package realty.core.tenancy;

import io.micronaut.core.annotation.Introspected;
import realty.core.security.Caller;

import java.util.UUID;

/**
 * Which rows a tenant query may touch, passed to every repository method that reads or changes a
 * tenant table and bound to named parameters by {@link Scoped}: the companies (or every company, for
 * the platform admin and system work) and, for the "own" scope of domain.md §2.2, the user and the
 * links through which a row is theirs. Queries spell the restriction out with those names:
 *
 * <pre>{@code
 * (:allCompanies OR p.company_id = ANY(CAST(:companies AS uuid[])))
 * AND (NOT :ownOnly OR (:viaAgent AND p.agent_id IN (SELECT a.id FROM agents a WHERE a.user_id = :ownUser AND a.active)) ...)
 * }</pre>
 *
 * The company ids travel as text (Micronaut Data binds no uuid arrays) and are cast in the SQL.
 * With known values PostgreSQL folds the constant parts away (custom plans), so the statement that
 * runs has the shape a hand-written one for that caller would have.
 */
@Introspected
public record RowScope(boolean allCompanies, String[] companies, boolean ownOnly, UUID ownUser,
                       boolean viaAgent, boolean viaProspector, boolean viaUser) {
    private static final String[] NONE = new String[0];
    /** The user of a scope that is not narrowed to own rows: no row links to it (a null would not bind). */
    private static final UUID NOBODY = new UUID(0, 0);

    /** The rows of the companies the tenant scope allows. */
    public static RowScope of(TenantScope scope) {
        return scope.everyCompany() ? new RowScope(true, NONE, false, NOBODY, false, false, false)
                : new RowScope(false, scope.companyIds().stream().map(UUID::toString).toArray(String[]::new), false, NOBODY, false, false, false);
    }

    /** The caller's companies (every company for the platform admin). */
    public static RowScope of(Caller caller) {
        return of(TenantScope.of(caller));
    }

    /** The rows of one company: a consumer acting on an event of that company. */
    public static RowScope company(UUID companyId) {
        return new RowScope(false, new String[] {companyId.toString()}, false, NOBODY, false, false, false);
    }

    /** System work: every company, every row. */
    public static RowScope system() {
        return of(TenantScope.system());
    }

    /**
     * Narrowed to the caller's own rows: those linked through one of their agent records
     * ({@code viaAgent}: listed, assigned, sold), brought in by them as prospector
     * ({@code viaProspector}) or linked to their user (owner, buyer: {@code viaUser}). No link: no row.
     */
    public RowScope own(UUID user, boolean viaAgent, boolean viaProspector, boolean viaUser) {
        return new RowScope(allCompanies, companies, true, user == null ? NOBODY : user, viaAgent, viaProspector, viaUser);
    }

    /** Narrowed to own rows through every link a row type has (sales, commission rules and transactions). */
    public RowScope own(UUID user) {
        return own(user, true, true, true);
    }

    public boolean allows(UUID companyId) {
        if (allCompanies) {
            return true;
        }
        for (String c : companies) {
            if (c.equals(String.valueOf(companyId))) {
                return true;
            }
        }
        return false;
    }
}
