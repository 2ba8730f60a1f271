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
import realty.core.security.Caller;
import realty.api.security.PermissionMatrix.Action;
import realty.api.security.PermissionMatrix.Resource;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
    static final String COLUMNS = """
            SELECT p.id, p.company_id, p.reference_code, p.title, p.type, p.status, p.price, p.rent_price, p.for_sale,
                   p.for_rent, p.address, p.agent_id, p.prospector_id, p.owner_user_id,
                   ARRAY(SELECT pa.agent_id FROM property_assignments pa WHERE pa.property_id = p.id AND pa.active ORDER BY pa.agent_id),
                   p.created_by, p.created_at, p.updated_at, p.version
            FROM properties p\s""";
    static final String INSERT = """
            INSERT INTO properties (id, company_id, reference_code, title, type, status, price, rent_price, for_sale, for_rent,
                                    address, agent_id, prospector_id, owner_user_id, created_by)
            VALUES (?, ?, ?, ?, ?, COALESCE(?, 'available'), ?, ?, COALESCE(?, true), COALESCE(?, false), ?, ?, ?, ?, ?)""";

    private final TransactionOperations<Connection> tx;
    private final TenantJdbc jdbc;
    private final EventfulTransaction writes;
    private final ApplicationEventPublisher<PropertyBeforeCreate> beforeCreate;

    public PropertyService(TransactionOperations<Connection> tx, TenantJdbc jdbc, EventfulTransaction writes,
                           ApplicationEventPublisher<PropertyBeforeCreate> beforeCreate) {
        this.tx = tx;
        this.jdbc = jdbc;
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
        UUID id = UUID.randomUUID();
        EventfulTransaction.Committed<PropertyView> committed = writes.execute(c -> {
            PropertyBeforeCreate before = new PropertyBeforeCreate(caller, c, withCompany);
            beforeCreate.publishEvent(before); // sync observers (ProspectorAutoAssign) may fill fields or abort
            PropertyInput row = before.input();
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                bindInsert(ps, id, row, caller.actorId());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw translate(e);
            }
            PropertyView view = load(c, TenantScope.system(), id, PropertyVisibility.Condition.NONE).orElseThrow();
            return new EventfulTransaction.Result<>(view, List.of(created(view, caller, info, null)));
        });
        return committed.value().withEvents(committed.events());
    }

    public Page<PropertyView> list(Caller caller, PageRequest page, UUID companyId, String status) {
        Access.require(caller, PROPERTY, READ);
        return page.page(tx.executeRead(s -> {
            Connection c = s.getConnection();
            PropertyVisibility.Condition own = PropertyVisibility.own(c, caller, OwnRows.ownProfiles(caller, PROPERTY, READ));
            List<Object> binds = new ArrayList<>(own.binds());
            binds.addAll(List.of(page.afterOrMin()));
            binds.add(companyId);
            binds.add(companyId);
            binds.add(status);
            binds.add(status);
            binds.add(page.limit() + 1);
            return jdbc.list(c, TenantScope.of(caller), COLUMNS + "WHERE {scope:p}" + own.sql()
                    + " AND p.id > ? AND (?::uuid IS NULL OR p.company_id = ?::uuid) AND (?::text IS NULL OR p.status = ?::text)"
                    + " ORDER BY p.id LIMIT ?", PropertyService::map, binds.toArray());
        }), PropertyView::id);
    }

    public PropertyView get(Caller caller, UUID id) {
        Access.require(caller, PROPERTY, READ);
        return tx.executeRead(s -> visible(s.getConnection(), caller, id));
    }

    /** The property if the caller can read it, else 404. */
    PropertyView visible(Connection c, Caller caller, UUID id) throws SQLException {
        return load(c, TenantScope.of(caller), id, PropertyVisibility.own(c, caller, OwnRows.ownProfiles(caller, PROPERTY, READ)))
                .orElseThrow(() -> ProblemException.notFound("property"));
    }

    /** After {@link #visible}: 403 unless the action's scope covers this row. */
    void requireOnRow(Connection c, Caller caller, UUID id, Resource resource, Action action) throws SQLException {
        var ownProfiles = OwnRows.ownProfiles(caller, resource, action);
        if (ownProfiles.isEmpty()) {
            return;
        }
        if (load(c, TenantScope.of(caller), id, PropertyVisibility.own(c, caller, ownProfiles)).isEmpty()) {
            throw Access.forbiddenOnRow(resource, action);
        }
    }

    public PropertyView update(Caller caller, UUID id, PropertyInput patch, RequestInfo info) {
        Access.require(caller, PROPERTY, UPDATE);
        EventfulTransaction.Committed<PropertyView> committed = writes.execute(c -> {
            PropertyView before = visible(c, caller, id);
            requireOnRow(c, caller, id, PROPERTY, UPDATE);
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
                jdbc.update(c, TenantScope.of(caller), """
                        UPDATE properties p SET title = ?, type = ?, status = ?, price = ?, rent_price = ?, for_sale = ?, for_rent = ?,
                               address = ?, agent_id = ?, prospector_id = ?, owner_user_id = ?, updated_at = now(), version = version + 1
                        WHERE p.id = ? AND {scope:p}""", merged.title(), merged.type(), merged.status(), merged.price(),
                        merged.rentPrice(), merged.forSale(), merged.forRent(), merged.address(), merged.agentId(),
                        merged.prospectorId(), merged.ownerUserId(), id);
            } catch (SQLException e) {
                throw translate(e);
            }
            PropertyView after = load(c, TenantScope.system(), id, PropertyVisibility.Condition.NONE).orElseThrow();
            return new EventfulTransaction.Result<>(after, List.of(updated(after, diff, caller, info)));
        });
        return committed.value().withEvents(committed.events());
    }

    public List<realty.core.outbox.EventRef> delete(Caller caller, UUID id, RequestInfo info) {
        Access.require(caller, PROPERTY, DELETE);
        return writes.execute(c -> {
            PropertyView before = visible(c, caller, id);
            requireOnRow(c, caller, id, PROPERTY, DELETE);
            try {
                jdbc.update(c, TenantScope.of(caller), "DELETE FROM properties p WHERE p.id = ? AND {scope:p}", id);
            } catch (SQLException e) {
                if ("23503".equals(e.getSQLState())) {
                    throw ProblemException.conflict("the property has sales; mark it unavailable instead", null);
                }
                throw e;
            }
            return new EventfulTransaction.Result<Void>(null, List.of(updated(before, PropertyUpdated.Changes.deletion(), caller, info)));
        }).events();
    }

    Optional<PropertyView> load(Connection c, TenantScope scope, UUID id, PropertyVisibility.Condition own) throws SQLException {
        List<Object> binds = new ArrayList<>(own.binds());
        binds.add(0, id);
        return jdbc.one(c, scope, COLUMNS + "WHERE p.id = ? AND {scope:p}" + own.sql(), PropertyService::map, binds.toArray());
    }

    static UUID singleCompany(Caller caller) {
        if (caller.companyIds().size() == 1) {
            return caller.companyIds().iterator().next();
        }
        throw ProblemException.badRequest("companyId is required", Map.of("companyId", "required when you belong to several companies"));
    }

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

    static RuntimeException translate(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            return ProblemException.conflict("a property with this reference code already exists in the company",
                    Map.of("referenceCode", "already in use"));
        }
        if ("23503".equals(e.getSQLState())) {
            return ProblemException.badRequest("agent, prospector or owner not found in this company",
                    Map.of("agentId", "must be an agent of the property's company"));
        }
        return new IllegalStateException(e);
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

    static PropertyView map(ResultSet rs) throws SQLException {
        List<UUID> assigned = new ArrayList<>();
        for (Object o : (Object[]) rs.getArray(15).getArray()) {
            assigned.add((UUID) o);
        }
        return new PropertyView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getBigDecimal(7), rs.getBigDecimal(8), rs.getBoolean(9), rs.getBoolean(10),
                rs.getString(11), rs.getObject(12, UUID.class), rs.getObject(13, UUID.class), rs.getObject(14, UUID.class), assigned,
                rs.getString(16), rs.getTimestamp(17).toInstant(), rs.getTimestamp(18).toInstant(), rs.getInt(19), null);
    }
}
