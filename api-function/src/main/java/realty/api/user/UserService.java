package realty.api.user;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import io.micronaut.http.HttpStatus;
import realty.api.auth.PasswordPolicy;
import realty.api.invitation.InvitationService;
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
import realty.core.id.TimeOrderedIds;
import realty.core.security.Caller;
import realty.api.security.PasswordHasher;
import realty.core.security.Profile;
import realty.api.web.SqlState;
import realty.core.tenancy.RowScope;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
    private final ApplicationEventPublisher<UserBeforeCreate> beforeCreate;
    private final ApplicationEventPublisher<UserBeforeUpdate> beforeUpdate;
    private final EventfulTransaction writes;
    private final PasswordHasher hasher;
    private final UserRepository users;
    private final UserAgentLink agentLink;
    private final PasswordPolicy policy;
    private final InvitationService invitations;

    public UserService(ApplicationEventPublisher<UserBeforeCreate> beforeCreate, ApplicationEventPublisher<UserBeforeUpdate> beforeUpdate,
                       EventfulTransaction writes, PasswordHasher hasher, UserRepository users, UserAgentLink agentLink,
                       PasswordPolicy policy, InvitationService invitations) {
        this.beforeCreate = beforeCreate;
        this.beforeUpdate = beforeUpdate;
        this.writes = writes;
        this.hasher = hasher;
        this.users = users;
        this.agentLink = agentLink;
        this.policy = policy;
        this.invitations = invitations;
    }

    public UserView create(Caller caller, CreateUserRequest request, RequestInfo info) {
        Set<Profile> profiles = parseProfiles(request.profiles());
        Set<UUID> companies = new TreeSet<>(request.companyIds());
        UserAgentLink.requireAgentProfileFor(profiles, request.cpf(), request.creci());
        // Sync observers run before anything is written; one that throws aborts the whole operation.
        beforeCreate.publishEvent(new UserBeforeCreate(caller, request.email(), profiles, companies));
        // No password: the user is invited and sets one through the link (no bcrypt in this request).
        String hash = null;
        if (request.password() != null) {
            policy.check(request.email(), request.password());
            hash = hasher.hash(request.password());
        }
        String passwordHash = hash;
        UUID id = TimeOrderedIds.next();
        String locale = request.locale() == null ? "pt-BR" : request.locale();

        EventfulTransaction.Committed<UserView> committed = writes.executeOnKeptPlans(c -> {
            requireCompaniesExist(companies);
            UserView view = insertUser(id, request, passwordHash, locale, caller, profiles, companies);
            agentLink.created(caller, id, request.name().trim(), profiles, companies, request.cpf(), request.creci());
            InvitationService.Issued invitation = passwordHash == null ? invitations.open(id, caller.actorId()) : null;
            UserCreated payload = new UserCreated(id, view.email(), view.name(), locale, view.profiles(), view.companyIds(),
                    invitation == null ? null : invitation.id(), invitation == null ? null : invitation.expiresAt());
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
        return users.find(RowScope.of(caller), id).map(UserService::view).orElseThrow(() -> ProblemException.notFound("user"));
    }

    public Page<UserView> list(Caller caller, PageRequest page) {
        Access.require(caller, USER, READ);
        return page.page(users.list(RowScope.of(caller), page.afterOrMin(), page.limit() + 1).stream().map(UserService::view).toList(),
                UserView::id);
    }

    /**
     * Changes a user's name, locale, profiles, companies or active flag. The before-update observers
     * run first; the last active owner of a company can neither be deactivated nor lose the owner
     * profile or the company (checked under a lock on the companies involved).
     */
    public UserView update(Caller caller, UUID id, UpdateUserRequest request, RequestInfo info) {
        boolean self = id.equals(caller.userId());
        boolean agentRecord = request.cpf() != null || request.creci() != null;
        boolean authority = request.profiles() != null || request.companyIds() != null || request.active() != null || agentRecord;
        if (!self || authority) {
            Access.require(caller, USER, request.active() != null && request.profiles() == null && request.companyIds() == null
                    && !agentRecord ? DEACTIVATE : UPDATE);
        }
        UserView before = users.find(RowScope.of(caller), id).map(UserService::view)
                .orElseThrow(() -> ProblemException.notFound("user"));
        Set<Profile> profilesBefore = parseProfiles(before.profiles());
        Set<Profile> profilesAfter = request.profiles() == null ? profilesBefore : parseProfiles(request.profiles());
        Set<UUID> companiesBefore = new TreeSet<>(before.companyIds());
        Set<UUID> companiesAfter = request.companyIds() == null ? companiesBefore : new TreeSet<>(request.companyIds());
        boolean activeAfter = request.active() == null ? before.active() : request.active();
        UserAgentLink.requireAgentProfileFor(profilesAfter, request.cpf(), request.creci());
        beforeUpdate.publishEvent(new UserBeforeUpdate(caller, id, profilesBefore, profilesAfter, companiesBefore, companiesAfter,
                before.active(), activeAfter));

        UserUpdated.Changes diff = new UserUpdated.Changes(
                change(before.name(), request.name()),
                change(before.locale(), request.locale()),
                change(before.profiles(), request.profiles() == null ? null : codes(profilesAfter)),
                change(sortedIds(before.companyIds()), request.companyIds() == null ? null : sortedIds(companiesAfter)),
                change(before.active(), request.active()));
        if (diff.isEmpty() && !agentRecord) {
            return before.withEvents(List.of());
        }
        Set<UUID> involved = new TreeSet<>(companiesBefore);
        involved.addAll(companiesAfter);
        EventfulTransaction.Committed<UserView> committed = writes.execute(c -> {
            // The companies and links of the user as a whole, including companies the caller does not see.
            users.lockCompanies(RowScope.system(), texts(involved));
            if (!companiesAfter.equals(companiesBefore)) {
                requireCompaniesExist(companiesAfter);
            }
            applyUpdate(id, request, profilesAfter, companiesAfter, activeAfter);
            requireActiveOwners(involved);
            UserView after = users.find(RowScope.system(), id).map(UserService::view).orElseThrow();
            if (request.profiles() != null || request.companyIds() != null || agentRecord) {
                agentLink.updated(caller, id, after.name(), profilesBefore, profilesAfter, companiesBefore, companiesAfter,
                        request.cpf(), request.creci());
            }
            if (diff.isEmpty()) {
                return new EventfulTransaction.Result<>(after, List.<EventEnvelope>of()); // only the agent record changed
            }
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

    private void applyUpdate(UUID id, UpdateUserRequest r, Set<Profile> profiles, Set<UUID> companies, boolean active) {
        users.update(id, r.name() == null ? null : r.name().trim(), r.locale(), active);
        if (r.profiles() != null) {
            users.deleteProfiles(id);
            users.insertProfiles(id, profiles.stream().map(Profile::code).toArray(String[]::new));
        }
        if (r.companyIds() != null) {
            users.deleteCompanies(RowScope.system(), id);
            users.insertCompanies(id, texts(companies));
        }
    }

    /** Every company involved must still have an active owner after the change. */
    private void requireActiveOwners(Set<UUID> companies) {
        users.companyWithoutActiveOwner(RowScope.system(), texts(companies)).ifPresent(company -> {
            throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "Business rule violated",
                    "company " + company + " would be left without an active owner", null);
        });
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

    private void requireCompaniesExist(Set<UUID> companies) {
        if (users.countActiveCompanies(RowScope.system(), texts(companies)) != companies.size()) {
            throw ProblemException.badRequest("unknown or inactive company", Map.of("companyIds", "unknown or inactive company"));
        }
    }

    /**
     * The user, their profiles and companies, in one statement; the view as {@link UserRepository#find}
     * reads it back (profiles by code, companies by id: the orders of its {@code ORDER BY}), with the
     * row's {@code created_at}.
     */
    private UserView insertUser(UUID id, CreateUserRequest r, String hash, String locale, Caller caller,
                                Set<Profile> profiles, Set<UUID> companies) {
        String email = r.email().trim();
        String name = r.name().trim();
        Instant createdAt;
        try {
            createdAt = users.create(id, email, name, hash, locale, caller.actorId(),
                    profiles.stream().map(Profile::code).toArray(String[]::new), texts(companies));
        } catch (DataAccessException e) {
            if (SqlState.UNIQUE_VIOLATION.of(e)) {
                throw ProblemException.conflict("a user with this e-mail already exists", Map.of("email", "already in use"));
            }
            throw e;
        }
        return new UserView(id, email, name, locale, codes(profiles), sortedIds(companies), true, createdAt, null);
    }

    /** UUIDs as text: Micronaut Data binds no uuid arrays, the SQL casts them. */
    private static String[] texts(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    private static UserView view(UserRepository.Row r) {
        return new UserView(r.id(), r.email(), r.name(), r.locale(), List.of(r.profiles()),
                Arrays.stream(r.companyIds()).map(UUID::fromString).toList(), r.active(), r.createdAt(), null);
    }
}
