package realty.api.company;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import realty.api.commission.CommissionTransactionService;
import realty.api.outbox.EventfulTransaction;
import realty.api.security.Access;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.api.web.SqlState;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.Change;
import realty.core.event.payload.CompanyUpdated;
import realty.core.outbox.EventRef;
import realty.core.security.Caller;
import realty.core.tenancy.RowScope;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import static realty.api.security.PermissionMatrix.Action.READ;
import static realty.api.security.PermissionMatrix.Action.UPDATE;
import static realty.api.security.PermissionMatrix.Resource.COMPANY;

/**
 * {@code PATCH /companies/{id}}: the owner edits the agency's registration (domain.md §1: name, legal
 * name, CNPJ, CRECI). A company outside the caller's is a 404; one they read but may not update a
 * 403. The change and its {@code company.updated} event (audited) commit together.
 */
@Singleton
public class CompanyService {
    private final EventfulTransaction writes;
    private final CompanyRepository companies;

    public CompanyService(EventfulTransaction writes, CompanyRepository companies) {
        this.writes = writes;
        this.companies = companies;
    }

    /** The company after the change, with the events the change emitted (api.md: every write returns them). */
    @Serdeable
    public record Updated(UUID id, String name, @Nullable String legalName, @Nullable String cnpj, @Nullable String creci,
                          boolean active, Instant createdAt, List<EventRef> events) {
        static Updated of(CompanyController.CompanyView c, List<EventRef> events) {
            return new Updated(c.id(), c.name(), c.legalName(), c.cnpj(), c.creci(), c.active(), c.createdAt(), events);
        }
    }

    public Updated update(Caller caller, UUID id, CompanyController.UpdateCompanyRequest body, RequestInfo info) {
        Access.require(caller, COMPANY, UPDATE);
        Access.require(caller, COMPANY, READ);
        String cnpj = body.cnpj() == null ? null : body.cnpj().isBlank() ? "" : Cnpj.normalize(body.cnpj());
        if (cnpj == null && body.cnpj() != null) {
            throw ProblemException.badRequest("invalid CNPJ", Map.of("cnpj", "not a valid CNPJ (14 digits with check digits)"));
        }
        if (body.name() != null && body.name().isBlank()) {
            throw ProblemException.badRequest("invalid company", Map.of("name", "must not be blank"));
        }
        EventfulTransaction.Committed<CompanyController.CompanyView> committed = writes.execute(c -> {
            RowScope scope = RowScope.of(caller);
            CompanyController.CompanyView before = companies.lock(scope, id).orElseThrow(() -> ProblemException.notFound("company"));
            // Absent: unchanged; an empty string clears an optional field.
            String name = body.name() == null ? before.name() : body.name().trim();
            String legalName = optional(body.legalName(), before.legalName());
            String newCnpj = optional(cnpj, before.cnpj());
            String creci = optional(body.creci(), before.creci());
            CompanyUpdated.Changes changes = new CompanyUpdated.Changes(change(before.name(), name),
                    change(before.legalName(), legalName), change(before.cnpj(), newCnpj), change(before.creci(), creci));
            if (changes.isEmpty()) {
                return new EventfulTransaction.Result<>(before, List.of());
            }
            try {
                companies.update(scope, id, name, legalName, newCnpj, creci);
            } catch (DataAccessException e) {
                if (SqlState.UNIQUE_VIOLATION.of(e)) {
                    throw ProblemException.conflict("a company with this CNPJ already exists", Map.of("cnpj", "already registered"));
                }
                throw e;
            }
            CompanyController.CompanyView after = companies.find(scope, id).orElseThrow();
            EventEnvelope updated = EventEnvelope.create(EventType.COMPANY_UPDATED, id, CommissionTransactionService.actor(caller, info),
                    info.requestId(), null, new AggregateRef("company", id.toString()), new CompanyUpdated(id, changes));
            return new EventfulTransaction.Result<>(after, List.of(updated));
        });
        return Updated.of(committed.value(), committed.events());
    }

    private static @Nullable String optional(@Nullable String given, @Nullable String current) {
        if (given == null) {
            return current;
        }
        return given.isBlank() ? null : given.trim();
    }

    private static @Nullable Change<String> change(@Nullable String from, @Nullable String to) {
        return Objects.equals(from, to) ? null : new Change<>(from, to);
    }
}
