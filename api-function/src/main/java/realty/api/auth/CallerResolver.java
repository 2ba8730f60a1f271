package realty.api.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import realty.api.web.ProblemException;
import realty.core.security.Caller;
import realty.core.security.Profile;
import realty.core.tenancy.RowScope;

import java.time.Instant;
import java.util.Date;
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
        return load(userId, issuedAt(authentication)).orElseThrow(() -> ProblemException.unauthorized("user unknown or deactivated"));
    }

    private Optional<Caller> load(UUID userId, @Nullable Instant issuedAt) {
        return callers.load(RowScope.system(), userId).filter(CallerRepository.Row::active).map(row -> {
            // Revoked by a password change or a deactivation (V8__password_reset.sql rounds the instant up to a whole second).
            if (row.tokensNotBefore() != null && (issuedAt == null || issuedAt.isBefore(row.tokensNotBefore()))) {
                throw ProblemException.unauthorized("token issued before the password change or deactivation");
            }
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

    /** The JWT's {@code iat} (whole seconds), as the token validator hands the claims over. */
    private static @Nullable Instant issuedAt(Authentication authentication) {
        Object iat = authentication.getAttributes().get("iat");
        if (iat instanceof Date d) {
            return d.toInstant();
        }
        if (iat instanceof Number n) {
            return Instant.ofEpochSecond(n.longValue());
        }
        return iat instanceof Instant i ? i : null;
    }
}
