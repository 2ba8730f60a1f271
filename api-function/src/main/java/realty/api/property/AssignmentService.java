package realty.api.property;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import realty.api.security.Access;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.PropertyAssignmentChanged;
import realty.core.outbox.EventRef;
import realty.api.outbox.EventfulTransaction;
import realty.core.security.Caller;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static realty.api.security.PermissionMatrix.Action.CREATE;
import static realty.api.security.PermissionMatrix.Action.DELETE;
import static realty.api.security.PermissionMatrix.Action.READ;
import static realty.api.security.PermissionMatrix.Action.UPDATE;
import static realty.api.security.PermissionMatrix.Resource.ASSIGNMENT;

/** Agents assigned to a property, with a responsibility; each change emits {@code property.assignment.changed}. */
@Singleton
public class AssignmentService {
    static final Set<String> RESPONSIBILITIES = Set.of("primary", "secondary", "support");
    private static final String COLUMNS = "SELECT pa.property_id, pa.agent_id, pa.responsibility, pa.active, pa.created_at FROM property_assignments pa ";

    private final PropertyService properties;
    private final TransactionOperations<Connection> tx;
    private final TenantJdbc jdbc;
    private final EventfulTransaction writes;

    public AssignmentService(PropertyService properties, TransactionOperations<Connection> tx, TenantJdbc jdbc,
                             EventfulTransaction writes) {
        this.properties = properties;
        this.tx = tx;
        this.jdbc = jdbc;
        this.writes = writes;
    }

    @Serdeable
    public record AssignmentView(UUID propertyId, UUID agentId, String responsibility, boolean active, Instant createdAt,
                                 @Nullable List<EventRef> events) {
    }

    public List<AssignmentView> list(Caller caller, UUID propertyId) {
        Access.require(caller, ASSIGNMENT, READ);
        return tx.executeRead(s -> {
            Connection c = s.getConnection();
            properties.visible(c, caller, propertyId);
            properties.requireOnRow(c, caller, propertyId, ASSIGNMENT, READ);
            return jdbc.list(c, TenantScope.of(caller), COLUMNS + "WHERE pa.property_id = ? AND {scope:pa} ORDER BY pa.agent_id",
                    AssignmentService::map, propertyId);
        });
    }

    public AssignmentView assign(Caller caller, UUID propertyId, UUID agentId, String responsibility, RequestInfo info) {
        Access.require(caller, ASSIGNMENT, CREATE);
        requireResponsibility(responsibility);
        return change(caller, propertyId, agentId, info, CREATE, "added", c -> {
            PropertyView p = properties.visible(c, caller, propertyId);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO property_assignments (property_id, agent_id, company_id, responsibility) VALUES (?, ?, ?, ?)
                    ON CONFLICT (property_id, agent_id) DO UPDATE SET responsibility = EXCLUDED.responsibility, active = true""")) {
                ps.setObject(1, propertyId);
                ps.setObject(2, agentId);
                ps.setObject(3, p.companyId());
                ps.setString(4, responsibility);
                ps.executeUpdate();
            } catch (SQLException e) {
                if ("23503".equals(e.getSQLState())) {
                    throw ProblemException.badRequest("not an agent of the property's company", Map.of("agentId", "unknown agent"));
                }
                throw e;
            }
            return p.companyId();
        });
    }

    public AssignmentView update(Caller caller, UUID propertyId, UUID agentId, @Nullable String responsibility,
                                 @Nullable Boolean active, RequestInfo info) {
        Access.require(caller, ASSIGNMENT, UPDATE);
        if (responsibility != null) {
            requireResponsibility(responsibility);
        }
        return change(caller, propertyId, agentId, info, UPDATE, "updated", c -> {
            PropertyView p = properties.visible(c, caller, propertyId);
            int n = jdbc.update(c, TenantScope.of(caller), "UPDATE property_assignments pa SET responsibility = COALESCE(?, responsibility), "
                    + "active = COALESCE(?, active) WHERE pa.property_id = ? AND pa.agent_id = ? AND {scope:pa}", responsibility, active,
                    propertyId, agentId);
            if (n == 0) {
                throw ProblemException.notFound("assignment");
            }
            return p.companyId();
        });
    }

    public List<EventRef> remove(Caller caller, UUID propertyId, UUID agentId, RequestInfo info) {
        Access.require(caller, ASSIGNMENT, DELETE);
        return writes.execute(c -> {
            PropertyView p = properties.visible(c, caller, propertyId);
            properties.requireOnRow(c, caller, propertyId, ASSIGNMENT, DELETE);
            int n = jdbc.update(c, TenantScope.of(caller), "DELETE FROM property_assignments pa WHERE pa.property_id = ? AND pa.agent_id = ? "
                    + "AND {scope:pa}", propertyId, agentId);
            if (n == 0) {
                throw ProblemException.notFound("assignment");
            }
            return new EventfulTransaction.Result<Void>(null, List.of(event(p.companyId(), propertyId, agentId, null, "removed", caller, info)));
        }).events();
    }

    @FunctionalInterface
    private interface Write {
        UUID apply(Connection c) throws SQLException;
    }

    private AssignmentView change(Caller caller, UUID propertyId, UUID agentId, RequestInfo info,
                                  realty.api.security.PermissionMatrix.Action action, String kind, Write write) {
        EventfulTransaction.Committed<AssignmentView> committed = writes.execute(c -> {
            properties.visible(c, caller, propertyId);
            properties.requireOnRow(c, caller, propertyId, ASSIGNMENT, action);
            UUID company = write.apply(c);
            AssignmentView view = jdbc.one(c, TenantScope.system(), COLUMNS + "WHERE pa.property_id = ? AND pa.agent_id = ? AND {scope:pa}",
                    AssignmentService::map, propertyId, agentId).orElseThrow();
            return new EventfulTransaction.Result<>(view, List.of(event(company, propertyId, agentId, view.responsibility(), kind, caller, info)));
        });
        AssignmentView v = committed.value();
        return new AssignmentView(v.propertyId(), v.agentId(), v.responsibility(), v.active(), v.createdAt(), committed.events());
    }

    private static EventEnvelope event(UUID company, UUID propertyId, UUID agentId, String responsibility, String change,
                                       Caller caller, RequestInfo info) {
        PropertyAssignmentChanged payload = new PropertyAssignmentChanged(propertyId, agentId, responsibility, change);
        return EventEnvelope.create(EventType.PROPERTY_ASSIGNMENT_CHANGED, company, PropertyService.actor(caller, info), info.requestId(),
                null, new AggregateRef("property", propertyId.toString()), payload);
    }

    private static void requireResponsibility(String r) {
        if (r == null || !RESPONSIBILITIES.contains(r)) {
            throw ProblemException.badRequest("invalid responsibility", Map.of("responsibility", "one of primary, secondary, support"));
        }
    }

    static AssignmentView map(ResultSet rs) throws SQLException {
        return new AssignmentView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getBoolean(4),
                rs.getTimestamp(5).toInstant(), null);
    }
}
