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
import realty.core.id.TimeOrderedIds;
import realty.core.security.Caller;
import io.micronaut.data.exceptions.DataAccessException;
import realty.api.web.SqlState;
import realty.core.tenancy.RowScope;

import java.sql.Connection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;
import io.swagger.v3.oas.annotations.media.Schema;

import static realty.api.security.PermissionMatrix.Action.CREATE;
import static realty.api.security.PermissionMatrix.Action.DELETE;
import static realty.api.security.PermissionMatrix.Action.READ;
import static realty.api.security.PermissionMatrix.Action.UPDATE;
import static realty.api.security.PermissionMatrix.Resource.AGENT;

/** Agents of an agency ({@code /api/v1/agents}); an agent may update their own record. */
@Controller("/api/v1/agents")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Agents", description = "Agents (brokers) of an agency; an agent may update their own record.")
@ApiErrors.Authenticated
public class AgentController {
    private final TransactionOperations<Connection> tx;
    private final AgentRepository agents;

    public AgentController(TransactionOperations<Connection> tx, AgentRepository agents) {
        this.tx = tx;
        this.agents = agents;
    }

    @Serdeable
    @Schema(example = """
            {"companyId": "3b1f9c2d-5e6a-4f70-8c1d-9a2b3c4d5e6f", "name": "Ana Souza", "cpf": "12345678909", "creci": "CRECI-PR 12345"}""")
    public record CreateAgentRequest(@NotNull UUID companyId, @NotBlank @Size(max = 200) String name,
                                     @Nullable @Pattern(regexp = "\\d{11}") String cpf, @Nullable @Size(max = 40) String creci,
                                     @Nullable UUID userId) {
    }

    @Serdeable
    @Schema(example = """
            {"creci": "CRECI-PR 54321", "active": true}""")
    public record UpdateAgentRequest(@Nullable @Size(min = 1, max = 200) String name, @Nullable @Pattern(regexp = "\\d{11}") String cpf,
                                     @Nullable @Size(max = 40) String creci, @Nullable Boolean active) {
    }

    @Post
    @Operation(operationId = "createAgent", summary = "Create an agent",
            description = "Owner, director, manager; in one of the caller's companies. `userId`, when given, must be a user of that company.")
    @ApiResponse(responseCode = "201", description = "The agent", useReturnTypeSchema = true)
    @ApiErrors.WithBody
    @ApiErrors.Conflict
    public HttpResponse<AgentView> create(Caller caller, @Body @Valid CreateAgentRequest body) {
        Access.require(caller, AGENT, CREATE);
        Access.requireCompany(caller, body.companyId());
        UUID id = tx.executeWrite(s -> {
            RowScope scope = RowScope.of(caller);
            if (body.userId() != null && !agents.isMember(scope, body.userId(), body.companyId())) {
                throw ProblemException.badRequest("the user does not belong to this company",
                        Map.of("userId", "not a user of company " + body.companyId()));
            }
            try {
                // A user with the agent or prospector profile got their record with the user (UserAgentLink):
                // naming them completes and activates that record, so creating it by hand afterwards still works.
                var existing = body.userId() == null ? Optional.<AgentView>empty()
                        : agents.findByUser(scope, body.companyId(), body.userId());
                if (existing.isPresent()) {
                    agents.update(scope, existing.get().id(), body.name().trim(), body.cpf(), body.creci(), Boolean.TRUE);
                    return existing.get().id();
                }
                UUID created = TimeOrderedIds.next();
                agents.insert(created, body.companyId(), body.userId(), body.name().trim(), body.cpf(), body.creci());
                return created;
            } catch (DataAccessException e) {
                throw conflictOr(e);
            }
        });
        return HttpResponse.created(get(caller, id));
    }

    @Get
    @Operation(operationId = "listAgents", summary = "List agents",
            description = "Agents of the caller's companies, optionally of one company.")
    @ApiErrors.Invalid
    public Page<AgentView> list(Caller caller, @Nullable @QueryValue UUID companyId, @Nullable @QueryValue Integer limit,
                                @Nullable @QueryValue String cursor) {
        Access.require(caller, AGENT, READ);
        PageRequest page = PageRequest.of(limit, cursor);
        return page.page(agents.list(RowScope.of(caller), page.afterOrMin(), companyId, page.limit() + 1), AgentView::id);
    }

    @Get("/{id}")
    @Operation(operationId = "getAgent", summary = "Get an agent")
    @ApiErrors.NotFound
    public AgentView get(Caller caller, @PathVariable UUID id) {
        Access.require(caller, AGENT, READ);
        return find(caller, id);
    }

    @Patch("/{id}")
    @Operation(operationId = "updateAgent", summary = "Update an agent",
            description = "Owner, director, manager; an agent only their own record. Fields left out keep their value.")
    @ApiErrors.WithBody
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    public AgentView update(Caller caller, @PathVariable UUID id, @Body @Valid UpdateAgentRequest body) {
        Access.require(caller, AGENT, UPDATE);
        tx.executeWrite(s -> {
            AgentView agent = find(caller, id);
            if (!OwnRows.ownProfiles(caller, AGENT, UPDATE).isEmpty() && !caller.platformAdmin()
                    && (agent.userId() == null || !agent.userId().equals(caller.userId()))) {
                throw Access.forbiddenOnRow(AGENT, UPDATE);
            }
            try {
                agents.update(RowScope.of(caller), id, body.name(), body.cpf(), body.creci(), body.active());
            } catch (DataAccessException e) {
                throw conflictOr(e);
            }
            return null;
        });
        return get(caller, id);
    }

    @Delete("/{id}")
    @Operation(operationId = "deleteAgent", summary = "Delete an agent",
            description = "409 while properties or sales refer to it: deactivate it instead (`active: false`).")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiErrors.NotFound
    @ApiErrors.Conflict
    public HttpResponse<Void> delete(Caller caller, @PathVariable UUID id) {
        Access.require(caller, AGENT, DELETE);
        tx.executeWrite(s -> {
            find(caller, id);
            try {
                agents.delete(RowScope.of(caller), id);
            } catch (DataAccessException e) {
                if (SqlState.FOREIGN_KEY_VIOLATION.of(e)) {
                    throw ProblemException.conflict("the agent is referenced by properties or sales; deactivate it instead", null);
                }
                throw e;
            }
            return null;
        });
        return HttpResponse.status(HttpStatus.NO_CONTENT);
    }

    private AgentView find(Caller caller, UUID id) {
        return agents.find(RowScope.of(caller), id).orElseThrow(() -> ProblemException.notFound("agent"));
    }

    private static RuntimeException conflictOr(DataAccessException e) {
        if (SqlState.UNIQUE_VIOLATION.of(e)) {
            return ProblemException.conflict("an agent with this CPF or user already exists in the company", null);
        }
        return e;
    }
}
