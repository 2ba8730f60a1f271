package realty.api.auth;

import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import realty.api.web.ProblemException;
import realty.core.security.Caller;
import realty.core.security.Profile;
import realty.core.tenancy.RowScope;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Loads the caller's profiles and companies from the database on every request: the token says
 * who, the database says what they may do, so a removed profile or a deactivated user stops working
 * on the very next request.
 */
@Singleton
public class CallerResolver {
    private final CallerRepository callers;

    public CallerResolver(CallerRepository callers) {
        this.callers = callers;
    }

    public Caller resolve(Authentication authentication) {
        String subject = authentication.getName();
        UUID userId;
        if (Caller.PLATFORM_ADMIN_SUBJECT.equals(subject)) {
            // The platform admin is a users row like the others (PlatformAdminBootstrap); its tokens keep the subject the audit knows.
            userId = callers.platformAdminId().orElseThrow(() -> ProblemException.unauthorized("platform admin is not enabled"));
        } else {
            try {
                userId = UUID.fromString(subject);
            } catch (IllegalArgumentException e) {
                throw ProblemException.unauthorized("invalid token subject");
            }
        }
        return load(userId).orElseThrow(() -> ProblemException.unauthorized("user unknown or deactivated"));
    }

    private Optional<Caller> load(UUID userId) {
        return callers.load(RowScope.system(), userId).filter(CallerRepository.Row::active).map(row -> {
            if (row.platformAdmin()) {
                return Caller.platformAdmin(userId, row.email()); // outside every company, whatever rows say
            }
            Set<Profile> profiles = EnumSet.noneOf(Profile.class);
            for (String p : row.profiles()) {
                Profile.fromCode(p).ifPresent(profiles::add);
            }
            Set<UUID> companies = new HashSet<>();
            for (String c : row.companyIds()) {
                companies.add(UUID.fromString(c));
            }
            return new Caller(userId, row.email(), Set.copyOf(profiles), Set.copyOf(companies), false);
        });
    }
}
