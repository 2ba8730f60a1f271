package realty.api.auth;

import io.micronaut.security.authentication.Authentication;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.api.web.ProblemException;
import realty.core.security.Caller;
import realty.core.security.Profile;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
    private static final String LOAD = """
            SELECT u.email, u.active,
                   ARRAY(SELECT profile FROM user_profiles p WHERE p.user_id = u.id),
                   ARRAY(SELECT company_id FROM user_companies c WHERE c.user_id = u.id)
            FROM users u WHERE u.id = ?""";

    private final TransactionOperations<Connection> tx;
    private final PlatformAdminSettings admin;

    public CallerResolver(TransactionOperations<Connection> tx, PlatformAdminSettings admin) {
        this.tx = tx;
        this.admin = admin;
    }

    public Caller resolve(Authentication authentication) {
        String subject = authentication.getName();
        if (Caller.PLATFORM_ADMIN_SUBJECT.equals(subject)) {
            if (!admin.configured()) {
                throw ProblemException.unauthorized("platform admin is not enabled");
            }
            return Caller.platformAdmin(admin.getUsername());
        }
        UUID userId;
        try {
            userId = UUID.fromString(subject);
        } catch (IllegalArgumentException e) {
            throw ProblemException.unauthorized("invalid token subject");
        }
        return load(userId).orElseThrow(() -> ProblemException.unauthorized("user unknown or deactivated"));
    }

    private Optional<Caller> load(UUID userId) {
        return tx.executeRead(status -> {
            try (PreparedStatement ps = status.getConnection().prepareStatement(LOAD)) {
                ps.setObject(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(2)) {
                        return Optional.empty();
                    }
                    Set<Profile> profiles = EnumSet.noneOf(Profile.class);
                    for (Object p : (Object[]) rs.getArray(3).getArray()) {
                        Profile.fromCode((String) p).ifPresent(profiles::add);
                    }
                    Set<UUID> companies = new HashSet<>();
                    Array companyArray = rs.getArray(4);
                    for (Object c : (Object[]) companyArray.getArray()) {
                        companies.add((UUID) c);
                    }
                    return Optional.of(new Caller(userId, rs.getString(1), Set.copyOf(profiles), Set.copyOf(companies), false));
                }
            }
        });
    }
}
