package realty.core.tenancy;

import realty.core.security.Caller;

import java.util.Set;
import java.util.UUID;

/**
 * Which companies' rows a piece of work may touch: the caller's companies, or every company for the
 * platform admin and for system work (queue functions acting on events they were sent).
 */
public final class TenantScope {
    private final Set<UUID> companyIds;
    private final boolean everyCompany;

    private TenantScope(Set<UUID> companyIds, boolean everyCompany) {
        this.companyIds = Set.copyOf(companyIds);
        this.everyCompany = everyCompany;
    }

    public static TenantScope of(Caller caller) {
        return caller.platformAdmin() ? new TenantScope(Set.of(), true) : new TenantScope(caller.companyIds(), false);
    }

    public static TenantScope companies(Set<UUID> companyIds) {
        return new TenantScope(companyIds, false);
    }

    /** System work that is not done on behalf of a tenant user. */
    public static TenantScope system() {
        return new TenantScope(Set.of(), true);
    }

    public boolean allows(UUID companyId) {
        return everyCompany || (companyId != null && companyIds.contains(companyId));
    }

    public boolean everyCompany() {
        return everyCompany;
    }

    public Set<UUID> companyIds() {
        return companyIds;
    }
}
