package realty.api.privacy;

import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import realty.api.outbox.EventfulTransaction;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.UserAnonymised;
import realty.core.outbox.EventRef;
import realty.core.security.Caller;
import realty.core.security.Profile;
import realty.core.tenancy.RowScope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A user's personal data (LGPD art. 18 II, access) and its anonymisation on request (art. 18 IV).
 * Who may: the user themself reads their own data; the owner and the legal profile of a company the
 * user belongs to read and anonymise it (the platform admin too). Anyone else gets 403 before any
 * lookup, and a user outside the caller's companies is 404, as for GET /users/{id}.
 */
@Singleton
public class PersonalDataService {
    /** The profiles that answer data-subject requests for their company. */
    static final Set<Profile> DATA_OFFICERS = Set.of(Profile.OWNER, Profile.LEGAL);
    /** At most this many audit rows in one document (the newest); auditRowsTotal says how many there are. */
    static final int AUDIT_ROWS = 1000;
    static final String ANONYMISED_NAME = "Anonymised user";

    private final PersonalDataRepository data;
    private final EventfulTransaction writes;
    private final JsonMapper json;

    public PersonalDataService(PersonalDataRepository data, EventfulTransaction writes, JsonMapper json) {
        this.data = data;
        this.writes = writes;
        this.json = json;
    }

    @Serdeable
    public record PersonalData(UserData user, List<PersonalDataRepository.CompanyRow> companies,
                               List<PersonalDataRepository.AgentRow> agents, long auditRowsTotal, List<AuditEntry> auditRows) {
    }

    @Serdeable
    public record UserData(UUID id, String email, String name, String locale, boolean active, List<String> profiles,
                           List<UUID> companyIds, @Nullable String createdBy, Instant createdAt, Instant updatedAt) {
    }

    @Serdeable
    public record AuditEntry(UUID id, @Nullable UUID companyId, String eventType, @Nullable String actorUserId, String resourceType,
                             String resourceId, Instant occurredAt, @Nullable String requestId, @Nullable String sourceIp,
                             @Nullable String userAgent, Map<String, Object> data) {
    }

    @Serdeable
    public record Anonymised(UUID id, String name, String email, boolean active, List<String> fields, List<EventRef> events) {
    }

    public PersonalData personalData(Caller caller, UUID id) {
        boolean self = id.equals(caller.userId());
        if (!self) {
            requireDataOfficer(caller, "read the personal data of another user");
        }
        RowScope scope = RowScope.of(caller);
        PersonalDataRepository.UserRow u = data.findUser(scope, id).orElseThrow(() -> ProblemException.notFound("user"));
        String key = id.toString();
        return new PersonalData(user(u), data.companies(scope, id), data.agents(scope, id), data.countAuditRows(scope, key),
                data.auditRows(scope, key, AUDIT_ROWS).stream().map(this::entry).toList());
    }

    /**
     * Replaces the user's name and e-mail (and the name and CPF of their agent records) and
     * deactivates them; ids stay, so sales, commissions and audit rows keep pointing at the same
     * person without naming them. Emits user.anonymised, which names the fields and no values.
     * Anonymising twice changes nothing the second time.
     */
    public Anonymised anonymise(Caller caller, UUID id, RequestInfo info) {
        requireDataOfficer(caller, "anonymise a user");
        RowScope scope = RowScope.of(caller);
        PersonalDataRepository.UserRow before = data.findUser(scope, id).orElseThrow(() -> ProblemException.notFound("user"));
        String email = "anonymised-" + id + "@anonymised.invalid";
        List<String> fields = List.of("name", "email", "agent.name", "agent.cpf");
        if (before.email().equals(email) && !before.active()) {
            return new Anonymised(id, before.name(), before.email(), false, fields, List.of());
        }
        EventfulTransaction.Committed<Anonymised> committed = writes.execute(c -> {
            data.lockCompanies(RowScope.system(), id);
            data.anonymiseUser(id, ANONYMISED_NAME, email);
            data.anonymiseAgents(scope, id, ANONYMISED_NAME);
            data.companyWithoutActiveOwner(RowScope.system(), id).ifPresent(company -> {
                throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "Business rule violated",
                        "company " + company + " would be left without an active owner", null);
            });
            UUID company = Arrays.stream(before.companyIds()).map(UUID::fromString).filter(caller::belongsTo).findFirst()
                    .orElse(UUID.fromString(before.companyIds()[0]));
            EventEnvelope event = EventEnvelope.create(EventType.USER_ANONYMISED, company,
                    new Actor(caller.actorId(), caller.profileCodes(), null, info.sourceIp(), info.userAgent()),
                    info.requestId(), null, new AggregateRef("user", id.toString()), new UserAnonymised(id, fields));
            return new EventfulTransaction.Result<>(new Anonymised(id, ANONYMISED_NAME, email, false, fields, null), List.of(event));
        });
        Anonymised a = committed.value();
        return new Anonymised(a.id(), a.name(), a.email(), a.active(), a.fields(), committed.events());
    }

    private static void requireDataOfficer(Caller caller, String what) {
        if (!caller.platformAdmin() && caller.profiles().stream().noneMatch(DATA_OFFICERS::contains)) {
            throw ProblemException.forbidden("only the user themself, an owner or the legal profile may " + what);
        }
    }

    private static UserData user(PersonalDataRepository.UserRow u) {
        return new UserData(u.id(), u.email(), u.name(), u.locale(), u.active(), List.of(u.profiles()),
                Arrays.stream(u.companyIds()).map(UUID::fromString).toList(), u.createdBy(), u.createdAt(), u.updatedAt());
    }

    @SuppressWarnings("unchecked")
    private AuditEntry entry(PersonalDataRepository.AuditRow r) {
        try {
            return new AuditEntry(r.id(), r.companyId(), r.eventType(), r.actorUserId(), r.resourceType(), r.resourceId(), r.occurredAt(),
                    r.requestId(), r.sourceIp(), r.userAgent(), json.readValue(r.data(), Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
