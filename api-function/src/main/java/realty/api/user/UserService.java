package realty.api.user;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import io.micronaut.http.HttpStatus;
import realty.api.security.Access;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.Change;
import realty.core.event.payload.UserCreated;
import realty.core.event.payload.UserUpdated;
import realty.api.outbox.EventfulTransaction;
import realty.core.security.Caller;
import realty.api.security.PasswordHasher;
import realty.core.security.Profile;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static realty.api.security.PermissionMatrix.Action.DEACTIVATE;
import static realty.api.security.PermissionMatrix.Action.READ;
import static realty.api.security.PermissionMatrix.Action.UPDATE;
import static realty.api.security.PermissionMatrix.Resource.USER;

/** Creating and reading users. */
@Singleton
public class UserService {
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = """
            SELECT u.id, u.email, u.name, u.locale, u.active, u.created_at,
                   ARRAY(SELECT profile FROM user_profiles p WHERE p.user_id = u.id ORDER BY profile),
                   ARRAY(SELECT company_id FROM user_companies c WHERE c.user_id = u.id ORDER BY company_id)
            FROM users u\s""";
    /** Tenancy: a user is visible only when they share a company with the caller. */
    private static final String IN_SCOPE = " EXISTS (SELECT 1 FROM user_companies s WHERE s.user_id = u.id AND {scope:s}) ";

    private final ApplicationEventPublisher<UserBeforeCreate> beforeCreate;
    private final EventfulTransaction writes;
    private final TransactionOperations<Connection> tx;
    private final PasswordHasher hasher;
    private final TenantJdbc jdbc;
    private final ApplicationEventPublisher<UserBeforeUpdate> beforeUpdate;

    public UserService(ApplicationEventPublisher<UserBeforeCreate> beforeCreate, ApplicationEventPublisher<UserBeforeUpdate> beforeUpdate,
                       EventfulTransaction writes, TransactionOperations<Connection> tx, PasswordHasher hasher, TenantJdbc jdbc) {
        this.beforeCreate = beforeCreate;
        this.beforeUpdate = beforeUpdate;
        this.writes = writes;
        this.tx = tx;
        this.hasher = hasher;
        this.jdbc = jdbc;
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
            UserView view = find(c, id, TenantScope.system()).orElseThrow();
            UserCreated payload = new UserCreated(id, view.email(), view.name(), locale, view.profiles(), view.companyIds());
            EventEnvelope created = EventEnvelope.create(EventType.USER_CREATED, companies.iterator().next(),
                    actor(caller, info), info.requestId(), null, new AggregateRef("user", id.toString()), payload);
            return new EventfulTransaction.Result<>(view, List.of(created));
        });
        return committed.value().withEvents(committed.events());
    }

    /** The user if the caller may see them: 404 outside the caller's companies, 403 if visible but not readable. */
    public UserView get(Caller caller, UUID id) {
        boolean self = id.equals(caller.userId());
        if (!self) {
            Access.require(caller, USER, READ);
        }
        return tx.executeRead(status -> find(status.getConnection(), id, TenantScope.of(caller)))
                .orElseThrow(() -> ProblemException.notFound("user"));
    }

    public Page<UserView> list(Caller caller, PageRequest page) {
        Access.require(caller, USER, READ);
        return page.page(tx.executeRead(status -> jdbc.list(status.getConnection(), TenantScope.of(caller),
                COLUMNS + "WHERE u.id > ? AND" + IN_SCOPE + "ORDER BY u.id LIMIT ?", UserService::map,
                page.afterOrMin(), page.limit() + 1)), UserView::id);
    }

    /**
     * Changes a user's name, locale, profiles, companies or active flag. The before-update observers
     * run first; the last active owner of a company can neither be deactivated nor lose the owner
     * profile or the company (checked under a lock on the companies involved).
     */
    public UserView update(Caller caller, UUID id, UpdateUserRequest request, RequestInfo info) {
        boolean self = id.equals(caller.userId());
        boolean authority = request.profiles() != null || request.companyIds() != null || request.active() != null;
        if (!self || authority) {
            Access.require(caller, USER, request.active() != null && request.profiles() == null && request.companyIds() == null
                    ? DEACTIVATE : UPDATE);
        }
        UserView before = tx.executeRead(status -> find(status.getConnection(), id, TenantScope.of(caller)))
                .orElseThrow(() -> ProblemException.notFound("user"));
        Set<Profile> profilesBefore = parseProfiles(before.profiles());
        Set<Profile> profilesAfter = request.profiles() == null ? profilesBefore : parseProfiles(request.profiles());
        Set<UUID> companiesBefore = new TreeSet<>(before.companyIds());
        Set<UUID> companiesAfter = request.companyIds() == null ? companiesBefore : new TreeSet<>(request.companyIds());
        boolean activeAfter = request.active() == null ? before.active() : request.active();
        beforeUpdate.publishEvent(new UserBeforeUpdate(caller, id, profilesBefore, profilesAfter, companiesBefore, companiesAfter,
                before.active(), activeAfter));

        UserUpdated.Changes diff = new UserUpdated.Changes(
                change(before.name(), request.name()),
                change(before.locale(), request.locale()),
                change(before.profiles(), request.profiles() == null ? null : codes(profilesAfter)),
                change(sortedIds(before.companyIds()), request.companyIds() == null ? null : sortedIds(companiesAfter)),
                change(before.active(), request.active()));
        if (diff.isEmpty()) {
            return before.withEvents(List.of());
        }
        Set<UUID> involved = new TreeSet<>(companiesBefore);
        involved.addAll(companiesAfter);
        EventfulTransaction.Committed<UserView> committed = writes.execute(c -> {
            lockCompanies(c, involved);
            if (!companiesAfter.equals(companiesBefore)) {
                requireCompaniesExist(c, companiesAfter);
            }
            applyUpdate(c, id, request, profilesAfter, companiesAfter, activeAfter);
            requireActiveOwners(c, involved);
            UserView after = find(c, id, TenantScope.system()).orElseThrow();
            UserUpdated payload = new UserUpdated(id, diff);
            EventEnvelope updated = EventEnvelope.create(EventType.USER_UPDATED, companiesAfter.iterator().next(),
                    actor(caller, info), info.requestId(), null, new AggregateRef("user", id.toString()), payload);
            return new EventfulTransaction.Result<>(after, List.of(updated));
        });
        return committed.value().withEvents(committed.events());
    }

    /** The change of one field, or null when the request leaves it alone or sets the value it has. */
    private static <T> Change<T> change(T before, T after) {
        return after != null && !after.equals(before) ? new Change<>(before, after) : null;
    }

    /** Company ids in the order of their text, as the event has always listed them. */
    private static List<UUID> sortedIds(Collection<UUID> ids) {
        return ids.stream().sorted(Comparator.comparing(UUID::toString)).toList();
    }

    private static List<String> codes(Set<Profile> profiles) {
        return profiles.stream().map(Profile::code).sorted().toList();
    }

    private static void lockCompanies(Connection c, Set<UUID> companies) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM companies WHERE id = ANY(?) ORDER BY id FOR UPDATE")) {
            ps.setArray(1, c.createArrayOf("uuid", companies.toArray()));
            ps.executeQuery().close();
        }
    }

    private static void applyUpdate(Connection c, UUID id, UpdateUserRequest r, Set<Profile> profiles, Set<UUID> companies,
                                    boolean active) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE users SET name = COALESCE(?, name), locale = COALESCE(?, locale), "
                + "active = ?, updated_at = now() WHERE id = ?")) {
            ps.setString(1, r.name() == null ? null : r.name().trim());
            ps.setString(2, r.locale());
            ps.setBoolean(3, active);
            ps.setObject(4, id);
            ps.executeUpdate();
        }
        if (r.profiles() != null) {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM user_profiles WHERE user_id = ?")) {
                del.setObject(1, id);
                del.executeUpdate();
            }
            insertLinks(c, "INSERT INTO user_profiles (user_id, profile) SELECT ?, unnest(?::text[])", id, "text",
                    profiles.stream().map(Profile::code).toArray());
        }
        if (r.companyIds() != null) {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM user_companies WHERE user_id = ?")) {
                del.setObject(1, id);
                del.executeUpdate();
            }
            insertLinks(c, "INSERT INTO user_companies (user_id, company_id) SELECT ?, unnest(?::uuid[])", id, "uuid",
                    companies.toArray());
        }
    }

    private static void insertLinks(Connection c, String sql, UUID id, String type, Object[] values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            ps.setArray(2, c.createArrayOf(type, values));
            ps.executeUpdate();
        }
    }

    /** Every company involved must still have an active owner after the change. */
    private static void requireActiveOwners(Connection c, Set<UUID> companies) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT x.id FROM unnest(?::uuid[]) AS x(id) WHERE NOT EXISTS (
                    SELECT 1 FROM user_companies uc JOIN users u ON u.id = uc.user_id
                    JOIN user_profiles p ON p.user_id = u.id AND p.profile = 'owner'
                    WHERE uc.company_id = x.id AND u.active)
                AND EXISTS (SELECT 1 FROM companies co WHERE co.id = x.id)""")) {
            ps.setArray(1, c.createArrayOf("uuid", companies.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "Business rule violated",
                            "company " + rs.getObject(1) + " would be left without an active owner", null);
                }
            }
        }
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

    private Optional<UserView> find(Connection c, UUID id, TenantScope scope) throws SQLException {
        return jdbc.one(c, scope, COLUMNS + "WHERE u.id = ? AND" + IN_SCOPE, UserService::map, id);
    }

    private static UserView map(ResultSet rs) throws SQLException {
        List<String> profiles = new ArrayList<>();
        for (Object p : (Object[]) rs.getArray(7).getArray()) {
            profiles.add((String) p);
        }
        List<UUID> companies = new ArrayList<>();
        for (Object o : (Object[]) rs.getArray(8).getArray()) {
            companies.add((UUID) o);
        }
        return new UserView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), profiles, companies,
                rs.getBoolean(5), rs.getTimestamp(6).toInstant(), null);
    }
}
