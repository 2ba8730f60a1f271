package realty.api.agent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import realty.api.security.Access;
import realty.api.security.OwnRows;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.api.web.ProblemException;
import realty.core.security.Caller;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import static realty.api.security.PermissionMatrix.Action.CREATE;
import static realty.api.security.PermissionMatrix.Action.DELETE;
import static realty.api.security.PermissionMatrix.Action.READ;
import static realty.api.security.PermissionMatrix.Action.UPDATE;
import static realty.api.security.PermissionMatrix.Resource.AGENT;

/** Agents of an agency ({@code /api/v1/agents}); an agent may update their own record. */
@Controller("/api/v1/agents")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class AgentController {
    private static final String COLUMNS = "SELECT a.id, a.company_id, a.user_id, a.name, a.cpf, a.creci, a.active, a.created_at FROM agents a ";

    private final TransactionOperations<Connection> tx;
    private final TenantJdbc jdbc;

    public AgentController(TransactionOperations<Connection> tx, TenantJdbc jdbc) {
        this.tx = tx;
        this.jdbc = jdbc;
    }

    @Serdeable
    public record CreateAgentRequest(@NotNull UUID companyId, @NotBlank @Size(max = 200) String name,
                                     @Nullable @Pattern(regexp = "\\d{11}") String cpf, @Nullable @Size(max = 40) String creci,
                                     @Nullable UUID userId) {
    }

    @Serdeable
    public record UpdateAgentRequest(@Nullable @Size(min = 1, max = 200) String name, @Nullable @Pattern(regexp = "\\d{11}") String cpf,
                                     @Nullable @Size(max = 40) String creci, @Nullable Boolean active) {
    }

    @Post
    public HttpResponse<AgentView> create(Caller caller, @Body @Valid CreateAgentRequest body) {
        Access.require(caller, AGENT, CREATE);
        Access.requireCompany(caller, body.companyId());
        UUID id = UUID.randomUUID();
        tx.executeWrite(s -> {
            Connection c = s.getConnection();
            if (body.userId() != null) {
                requireMember(c, body.userId(), body.companyId());
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO agents (id, company_id, user_id, name, cpf, creci) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setObject(2, body.companyId());
                ps.setObject(3, body.userId());
                ps.setString(4, body.name().trim());
                ps.setString(5, body.cpf());
                ps.setString(6, body.creci());
                ps.executeUpdate();
            } catch (SQLException e) {
                throw conflictOr(e);
            }
            return null;
        });
        return HttpResponse.created(get(caller, id));
    }

    @Get
    public Page<AgentView> list(Caller caller, @Nullable @QueryValue UUID companyId, @Nullable @QueryValue Integer limit,
                                @Nullable @QueryValue String cursor) {
        Access.require(caller, AGENT, READ);
        PageRequest page = PageRequest.of(limit, cursor);
        return page.page(tx.executeRead(s -> jdbc.list(s.getConnection(), TenantScope.of(caller),
                COLUMNS + "WHERE {scope:a} AND a.id > ? AND (?::uuid IS NULL OR a.company_id = ?::uuid) ORDER BY a.id LIMIT ?",
                AgentController::map, page.afterOrMin(), companyId, companyId, page.limit() + 1)), AgentView::id);
    }

    @Get("/{id}")
    public AgentView get(Caller caller, @PathVariable UUID id) {
        Access.require(caller, AGENT, READ);
        return tx.executeRead(s -> find(s.getConnection(), caller, id));
    }

    @Patch("/{id}")
    public AgentView update(Caller caller, @PathVariable UUID id, @Body @Valid UpdateAgentRequest body) {
        Access.require(caller, AGENT, UPDATE);
        tx.executeWrite(s -> {
            Connection c = s.getConnection();
            AgentView agent = find(c, caller, id);
            if (!OwnRows.ownProfiles(caller, AGENT, UPDATE).isEmpty() && !caller.platformAdmin()
                    && (agent.userId() == null || !agent.userId().equals(caller.userId()))) {
                throw Access.forbiddenOnRow(AGENT, UPDATE);
            }
            try {
                jdbc.update(c, TenantScope.of(caller), "UPDATE agents a SET name = COALESCE(?, name), cpf = COALESCE(?, cpf), "
                                + "creci = COALESCE(?, creci), active = COALESCE(?, active), updated_at = now() WHERE a.id = ? AND {scope:a}",
                        body.name(), body.cpf(), body.creci(), body.active(), id);
            } catch (SQLException e) {
                throw conflictOr(e);
            }
            return null;
        });
        return get(caller, id);
    }

    @Delete("/{id}")
    public HttpResponse<Void> delete(Caller caller, @PathVariable UUID id) {
        Access.require(caller, AGENT, DELETE);
        tx.executeWrite(s -> {
            find(s.getConnection(), caller, id);
            try {
                jdbc.update(s.getConnection(), TenantScope.of(caller), "DELETE FROM agents a WHERE a.id = ? AND {scope:a}", id);
            } catch (SQLException e) {
                if ("23503".equals(e.getSQLState())) {
                    throw ProblemException.conflict("the agent is referenced by properties or sales; deactivate it instead", null);
                }
                throw e;
            }
            return null;
        });
        return HttpResponse.status(HttpStatus.NO_CONTENT);
    }

    private AgentView find(Connection c, Caller caller, UUID id) throws SQLException {
        return jdbc.one(c, TenantScope.of(caller), COLUMNS + "WHERE a.id = ? AND {scope:a}", AgentController::map, id)
                .orElseThrow(() -> ProblemException.notFound("agent"));
    }

    private static void requireMember(Connection c, UUID userId, UUID companyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM user_companies WHERE user_id = ? AND company_id = ?")) {
            ps.setObject(1, userId);
            ps.setObject(2, companyId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.badRequest("the user does not belong to this company",
                            Map.of("userId", "not a user of company " + companyId));
                }
            }
        }
    }

    private static RuntimeException conflictOr(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            return ProblemException.conflict("an agent with this CPF or user already exists in the company", null);
        }
        return new IllegalStateException(e);
    }

    static AgentView map(ResultSet rs) throws SQLException {
        return new AgentView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getBoolean(7), rs.getTimestamp(8).toInstant());
    }
}
