package realty.api.property;

import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.api.security.Access;
import realty.api.security.OwnRows;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.Change;
import realty.core.event.payload.PropertyCreated;
import realty.core.event.payload.PropertyUpdated;
import realty.api.outbox.EventfulTransaction;
import realty.core.id.TimeOrderedIds;
import realty.core.security.Caller;
import realty.api.security.PermissionMatrix.Action;
import realty.api.security.PermissionMatrix.Resource;
import realty.api.web.SqlState;
import io.micronaut.data.exceptions.DataAccessException;
import realty.core.tenancy.RowScope;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import static realty.api.security.PermissionMatrix.Action.CREATE;
import static realty.api.security.PermissionMatrix.Action.DELETE;
import static realty.api.security.PermissionMatrix.Action.READ;
import static realty.api.security.PermissionMatrix.Action.UPDATE;
import static realty.api.security.PermissionMatrix.Resource.PROPERTY;

/** Properties: create (with the before-create observers), read, change and delete, all tenant-scoped. */
@Singleton
public class PropertyService {
    private final TransactionOperations<Connection> tx;
    private final PropertyRepository properties;
    private final EventfulTransaction writes;
    private final ApplicationEventPublisher<PropertyBeforeCreate> beforeCreate;

    public PropertyService(TransactionOperations<Connection> tx, PropertyRepository properties, EventfulTransaction writes,
                           ApplicationEventPublisher<PropertyBeforeCreate> beforeCreate) {
        this.tx = tx;
        this.properties = properties;
        this.writes = writes;
        this.beforeCreate = beforeCreate;
    }

    public PropertyView create(Caller caller, PropertyInput input, RequestInfo info) {
        Access.require(caller, PROPERTY, CREATE);
        PropertyInput withCompany = input.companyId() != null ? input : input.withCompany(singleCompany(caller));
        Access.requireCompany(caller, withCompany.companyId());
        Map<String, String> problems = withCompany.problems();
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest("invalid property", problems);
        }
        UUID id = TimeOrderedIds.next();
        EventfulTransaction.Committed<PropertyView> committed = writes.execute(c -> {
            PropertyBeforeCreate before = new PropertyBeforeCreate(caller, c, withCompany);
            beforeCreate.publishEvent(before); // sync observers (ProspectorAutoAssign) may fill fields or abort
            PropertyInput row = before.input();
            try {
                properties.insert(id, row.companyId(), row.referenceCode().trim(), row.title().trim(), row.type(), row.status(),
                        row.price(), row.rentPrice(), row.forSale(), row.forRent(), row.address(), row.agentId(), row.prospectorId(),
                        row.ownerUserId(), caller.actorId());
            } catch (DataAccessException e) {
                throw translate(e);
            }
            PropertyView view = load(RowScope.system(), id).orElseThrow();
            return new EventfulTransaction.Result<>(view, List.of(created(view, caller, info, null)));
        });
        return committed.value().withEvents(committed.events());
    }

    public Page<PropertyView> list(Caller caller, PageRequest page, UUID companyId, String status) {
        Access.require(caller, PROPERTY, READ);
        return page.page(properties.list(OwnRows.scope(caller, PROPERTY, READ), page.afterOrMin(), companyId, status,
                page.limit() + 1).stream().map(PropertyService::view).toList(), PropertyView::id);
    }

    public PropertyView get(Caller caller, UUID id) {
        Access.require(caller, PROPERTY, READ);
        return visible(caller, id);
    }

    /** The property if the caller can read it, else 404. */
    PropertyView visible(Caller caller, UUID id) {
        return load(OwnRows.scope(caller, PROPERTY, READ), id).orElseThrow(() -> ProblemException.notFound("property"));
    }

    /** After {@link #visible}: 403 unless the action's scope covers this row. */
    void requireOnRow(Caller caller, UUID id, Resource resource, Action action) {
        RowScope scope = OwnRows.scope(caller, resource, action);
        if (!scope.ownOnly()) {
            return;
        }
        if (load(scope, id).isEmpty()) {
            throw Access.forbiddenOnRow(resource, action);
        }
    }

    public PropertyView update(Caller caller, UUID id, PropertyInput patch, RequestInfo info) {
        Access.require(caller, PROPERTY, UPDATE);
        EventfulTransaction.Committed<PropertyView> committed = writes.execute(c -> {
            PropertyView before = visible(caller, id);
            requireOnRow(caller, id, PROPERTY, UPDATE);
            if (patch.companyId() != null && !patch.companyId().equals(before.companyId())) {
                throw ProblemException.badRequest("a property cannot move to another company", Map.of("companyId", "cannot change"));
            }
            PropertyInput merged = new PropertyInput(before.companyId(), before.referenceCode(),
                    or(patch.title(), before.title()), or(patch.type(), before.type()), or(patch.status(), before.status()),
                    or(patch.price(), before.price()), or(patch.rentPrice(), before.rentPrice()), or(patch.forSale(), before.forSale()),
                    or(patch.forRent(), before.forRent()), or(patch.address(), before.address()), or(patch.agentId(), before.agentId()),
                    or(patch.prospectorId(), before.prospectorId()), or(patch.ownerUserId(), before.ownerUserId()));
            if (patch.referenceCode() != null && !patch.referenceCode().equals(before.referenceCode())) {
                throw ProblemException.badRequest("the reference code cannot change", Map.of("referenceCode", "cannot change"));
            }
            Map<String, String> problems = merged.problems();
            if (!problems.isEmpty()) {
                throw ProblemException.badRequest("invalid property", problems);
            }
            PropertyUpdated.Changes diff = diff(before, merged);
            if (diff.isEmpty()) {
                return new EventfulTransaction.Result<>(before, List.of());
            }
            try {
                properties.update(RowScope.of(caller), id, merged.title(), merged.type(), merged.status(), merged.price(),
                        merged.rentPrice(), merged.forSale(), merged.forRent(), merged.address(), merged.agentId(),
                        merged.prospectorId(), merged.ownerUserId());
            } catch (DataAccessException e) {
                throw translate(e);
            }
            PropertyView after = load(RowScope.system(), id).orElseThrow();
            return new EventfulTransaction.Result<>(after, List.of(updated(after, diff, caller, info)));
        });
        return committed.value().withEvents(committed.events());
    }

    public List<realty.core.outbox.EventRef> delete(Caller caller, UUID id, RequestInfo info) {
        Access.require(caller, PROPERTY, DELETE);
        return writes.execute(c -> {
            PropertyView before = visible(caller, id);
            requireOnRow(caller, id, PROPERTY, DELETE);
            try {
                properties.delete(RowScope.of(caller), id);
            } catch (DataAccessException e) {
                if (SqlState.FOREIGN_KEY_VIOLATION.of(e)) {
                    throw ProblemException.conflict("the property has sales; mark it unavailable instead", null);
                }
                throw e;
            }
            return new EventfulTransaction.Result<Void>(null, List.of(updated(before, PropertyUpdated.Changes.deletion(), caller, info)));
        }).events();
    }

    Optional<PropertyView> load(RowScope scope, UUID id) {
        return properties.find(scope, id).map(PropertyService::view);
    }

    static UUID singleCompany(Caller caller) {
        if (caller.companyIds().size() == 1) {
            return caller.companyIds().iterator().next();
        }
        throw ProblemException.badRequest("companyId is required", Map.of("companyId", "required when you belong to several companies"));
    }

    /** Binds a row to {@link PropertyRepository#INSERT} for the import's batch. */
    static void bindInsert(PreparedStatement ps, UUID id, PropertyInput r, String createdBy) throws SQLException {
        ps.setObject(1, id);
        ps.setObject(2, r.companyId());
        ps.setString(3, r.referenceCode().trim());
        ps.setString(4, r.title().trim());
        ps.setString(5, r.type());
        ps.setString(6, r.status());
        ps.setBigDecimal(7, r.price());
        ps.setBigDecimal(8, r.rentPrice());
        if (r.forSale() == null) {
            ps.setNull(9, Types.BOOLEAN);
        } else {
            ps.setBoolean(9, r.forSale());
        }
        if (r.forRent() == null) {
            ps.setNull(10, Types.BOOLEAN);
        } else {
            ps.setBoolean(10, r.forRent());
        }
        ps.setString(11, r.address());
        ps.setObject(12, r.agentId(), Types.OTHER);
        ps.setObject(13, r.prospectorId(), Types.OTHER);
        ps.setObject(14, r.ownerUserId(), Types.OTHER);
        ps.setString(15, createdBy);
    }

    static RuntimeException translate(Exception e) {
        if (SqlState.UNIQUE_VIOLATION.of(e)) {
            return ProblemException.conflict("a property with this reference code already exists in the company",
                    Map.of("referenceCode", "already in use"));
        }
        if (SqlState.FOREIGN_KEY_VIOLATION.of(e)) {
            return ProblemException.badRequest("agent, prospector or owner not found in this company",
                    Map.of("agentId", "must be an agent of the property's company"));
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }

    static EventEnvelope created(PropertyView v, Caller caller, RequestInfo info, UUID causation) {
        PropertyCreated payload = new PropertyCreated(v.id(), v.referenceCode(), v.title(), v.type(), v.status(),
                v.price() == null ? null : v.price().toPlainString(), v.agentId(), v.prospectorId(), null, v.version());
        return EventEnvelope.create(EventType.PROPERTY_CREATED, v.companyId(), actor(caller, info), info.requestId(), causation,
                new AggregateRef("property", v.id().toString()), payload);
    }

    static EventEnvelope updated(PropertyView v, PropertyUpdated.Changes diff, Caller caller, RequestInfo info) {
        return EventEnvelope.create(EventType.PROPERTY_UPDATED, v.companyId(), actor(caller, info), info.requestId(), null,
                new AggregateRef("property", v.id().toString()), new PropertyUpdated(v.id(), diff, v.version()));
    }

    static Actor actor(Caller caller, RequestInfo info) {
        return new Actor(caller.actorId(), caller.profileCodes(), null, info.sourceIp(), info.userAgent());
    }

    private static PropertyUpdated.Changes diff(PropertyView b, PropertyInput a) {
        return new PropertyUpdated.Changes(change(b.title(), a.title()), change(b.type(), a.type()), change(b.status(), a.status()),
                change(plain(b.price()), plain(a.price())), change(plain(b.rentPrice()), plain(a.rentPrice())),
                change(b.forSale(), a.forSale()), change(b.forRent(), a.forRent()), change(b.address(), a.address()),
                change(b.agentId(), a.agentId()), change(b.prospectorId(), a.prospectorId()),
                change(b.ownerUserId(), a.ownerUserId()), null);
    }

    /** The change of one field, or null when it keeps its value. */
    private static <T> Change<T> change(T before, T after) {
        return Objects.equals(before, after) ? null : new Change<>(before, after);
    }

    private static String plain(BigDecimal v) {
        return v == null ? null : v.setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString();
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    static PropertyView view(PropertyRepository.Row r) {
        List<UUID> assigned = new ArrayList<>();
        for (String agent : r.assignedAgentIds()) {
            assigned.add(UUID.fromString(agent));
        }
        return new PropertyView(r.id(), r.companyId(), r.referenceCode(), r.title(), r.type(), r.status(), r.price(), r.rentPrice(),
                r.forSale(), r.forRent(), r.address(), r.agentId(), r.prospectorId(), r.ownerUserId(), assigned, r.createdBy(),
                r.createdAt(), r.updatedAt(), r.version(), null);
    }
}
