package realty.api.company;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.transaction.TransactionOperations;
import realty.api.security.Access;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.api.web.ProblemException;
import realty.core.security.Caller;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import static realty.api.security.PermissionMatrix.Action.READ;
import static realty.api.security.PermissionMatrix.Resource.COMPANY;

/** {@code GET /api/v1/companies} and {@code GET /api/v1/companies/{id}}: the caller's companies (all for the platform admin). */
@Controller("/api/v1/companies")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class CompanyQueryController {
    private static final String COLUMNS = "SELECT c.id, c.name, c.legal_name, c.cnpj, c.creci, c.active, c.created_at FROM companies c ";

    private final TransactionOperations<Connection> tx;
    private final TenantJdbc jdbc;

    public CompanyQueryController(TransactionOperations<Connection> tx, TenantJdbc jdbc) {
        this.tx = tx;
        this.jdbc = jdbc;
    }

    @Get
    public Page<CompanyController.CompanyView> list(Caller caller, @Nullable @QueryValue Integer limit, @Nullable @QueryValue String cursor) {
        Access.require(caller, COMPANY, READ);
        PageRequest page = PageRequest.of(limit, cursor);
        return page.page(tx.executeRead(s -> jdbc.list(s.getConnection(), TenantScope.of(caller),
                COLUMNS + "WHERE {scope:c.id} AND c.id > ? ORDER BY c.id LIMIT ?", CompanyQueryController::map,
                page.afterOrMin(), page.limit() + 1)), CompanyController.CompanyView::id);
    }

    @Get("/{id}")
    public CompanyController.CompanyView get(Caller caller, @PathVariable UUID id) {
        Access.require(caller, COMPANY, READ);
        return tx.executeRead(s -> jdbc.one(s.getConnection(), TenantScope.of(caller),
                COLUMNS + "WHERE c.id = ? AND {scope:c.id}", CompanyQueryController::map, id))
                .orElseThrow(() -> ProblemException.notFound("company"));
    }

    static CompanyController.CompanyView map(ResultSet rs) throws SQLException {
        return new CompanyController.CompanyView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getBoolean(6), rs.getTimestamp(7).toInstant());
    }
}
