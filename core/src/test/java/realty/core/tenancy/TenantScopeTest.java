package realty.core.tenancy;

import org.junit.jupiter.api.Test;
import realty.core.security.Caller;
import realty.core.security.Profile;

import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TenantScopeTest {
    @Test
    void aUserScopeAllowsOnlyTheirCompaniesAndThePlatformAdminSeesAll() {
        UUID a = UUID.randomUUID();
        TenantScope user = TenantScope.of(new Caller(UUID.randomUUID(), "u", Set.of(Profile.AGENT), Set.of(a), false));
        assertTrue(user.allows(a));
        assertFalse(user.allows(UUID.randomUUID()));
        assertFalse(user.allows(null));
        assertTrue(TenantScope.of(Caller.platformAdmin("admin")).allows(UUID.randomUUID()));
    }

}
