package realty.api.user;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.outbox.EventfulTransaction;
import realty.core.security.Caller;
import realty.core.security.PasswordHasher;
import realty.core.security.PermissionMatrix;
import realty.core.security.Profile;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static realty.core.security.PermissionMatrix.Action.READ;
import static realty.core.security.PermissionMatrix.Resource.USER;

/** Creating and reading users. */
@Singleton
public class UserService {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String SELECT = """
            SELECT u.id, u.email, u.name, u.locale, u.active, u.created_at,
                   ARRAY(SELECT profile FROM user_profiles p WHERE p.user_id = u.id ORDER BY profile),
                   ARRAY(SELECT company_id FROM user_companies c WHERE c.user_id = u.id ORDER BY company_id)
            FROM users u WHERE u.id = ?""";
    /** Tenancy: a user is visible only when they share a company with the caller. */
    private static final String IN_SCOPE = " AND EXISTS (SELECT 1 FROM user_companies s WHERE s.user_id = u.id AND s.company_id = ANY(?))";

    private final ApplicationEventPublisher<UserBeforeCreate> beforeCreate;
    private final EventfulTransaction writes;
    private final TransactionOperations<Connection> tx;
    private final PasswordHasher hasher;

    public UserService(ApplicationEventPublisher<UserBeforeCreate> beforeCreate, EventfulTransaction writes,
                       TransactionOperations<Connection> tx, PasswordHasher hasher) {
        this.beforeCreate = beforeCreate;
        this.writes = writes;
        this.tx = tx;
        this.hasher = hasher;
    }

    public UserView create(Caller caller, CreateUserRequest request, RequestInfo info) {
        Set<Profile> profiles = parseProfiles(request.profiles());
        Set<UUID> companies = new TreeSet<>(request.companyIds());
        // Sync observers run before anything is written; one that throws aborts the whole operation.
        beforeCreate.publishEvent(new UserBeforeCreate(caller, request.email(), profiles, companies));
        String hash = hasher.hash(request.password());
        UUID id = UUID.randomUUID();
        String locale = request.locale() == null ? "pt-BR" : request.locale();

        EventfulTransaction.Committed<UserView> committed = writes.execute(c -> {
            requireCompaniesExist(c, companies);
            insertUser(c, id, request, hash, locale, caller, profiles, companies);
            UserView view = find(c, id, null).orElseThrow();
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("userId", id.toString());
            payload.put("email", view.email());
            payload.put("name", view.name());
            payload.put("locale", locale);
            payload.put("profiles", view.profiles());
            payload.put("companyIds", view.companyIds().stream().map(UUID::toString).toList());
            EventEnvelope created = EventEnvelope.create(EventType.USER_CREATED, companies.iterator().next(),
                    actor(caller, info), info.requestId(), null, new AggregateRef("user", id.toString()), payload);
            return new EventfulTransaction.Result<>(view, List.of(created));
        });
        return committed.value().withEvents(committed.events());
    }

    /** The user if the caller may see them: 404 outside the caller's companies, 403 if visible but not readable. */
    public UserView get(Caller caller, UUID id) {
        UserView view = tx.executeRead(status -> find(status.getConnection(), id,
                caller.platformAdmin() ? null : caller.companyIds())).orElseThrow(() -> ProblemException.notFound("user"));
        boolean self = id.equals(caller.userId());
        if (!self && PermissionMatrix.scopeOf(caller, USER, READ).isEmpty()) {
            throw ProblemException.forbidden("your profiles may not read users");
        }
        return view;
    }

    static Actor actor(Caller caller, RequestInfo info) {
        return new Actor(caller.actorId(), caller.profileCodes(), null, info.sourceIp(), info.userAgent());
    }

    private static Set<Profile> parseProfiles(List<String> codes) {
        Set<Profile> out = new TreeSet<>();
        for (String code : codes) {
            out.add(Profile.fromCode(code).orElseThrow(() -> ProblemException.badRequest("unknown profile",
                    Map.of("profiles", "unknown profile '" + code + "'"))));
        }
        return out;
    }

    private static void requireCompaniesExist(Connection c, Set<UUID> companies) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM companies WHERE id = ANY(?) AND active")) {
            ps.setArray(1, c.createArrayOf("uuid", companies.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) != companies.size()) {
                    throw ProblemException.badRequest("unknown or inactive company", Map.of("companyIds", "unknown or inactive company"));
                }
            }
        }
    }

    private static void insertUser(Connection c, UUID id, CreateUserRequest r, String hash, String locale, Caller caller,
                                   Set<Profile> profiles, Set<UUID> companies) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO users (id, email, name, password_hash, locale, created_by) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, r.email().trim());
            ps.setString(3, r.name().trim());
            ps.setString(4, hash);
            ps.setString(5, locale);
            ps.setString(6, caller.actorId());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw ProblemException.conflict("a user with this e-mail already exists", Map.of("email", "already in use"));
            }
            throw e;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO user_profiles (user_id, profile) SELECT ?, unnest(?::text[])")) {
            ps.setObject(1, id);
            ps.setArray(2, c.createArrayOf("text", profiles.stream().map(Profile::code).toArray()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO user_companies (user_id, company_id) SELECT ?, unnest(?::uuid[])")) {
            ps.setObject(1, id);
            ps.setArray(2, c.createArrayOf("uuid", companies.toArray()));
            ps.executeUpdate();
        }
    }

    private static Optional<UserView> find(Connection c, UUID id, Set<UUID> scope) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(scope == null ? SELECT : SELECT + IN_SCOPE)) {
            ps.setObject(1, id);
            if (scope != null) {
                ps.setArray(2, c.createArrayOf("uuid", scope.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<String> profiles = new ArrayList<>();
                for (Object p : (Object[]) rs.getArray(7).getArray()) {
                    profiles.add((String) p);
                }
                List<UUID> companies = new ArrayList<>();
                Array arr = rs.getArray(8);
                for (Object o : (Object[]) arr.getArray()) {
                    companies.add((UUID) o);
                }
                return Optional.of(new UserView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), profiles, companies, rs.getBoolean(5), rs.getTimestamp(6).toInstant(), null));
            }
        }
    }
}
