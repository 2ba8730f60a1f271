package realty.api.settings;

import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import realty.api.security.Access;
import realty.api.web.ProblemException;
import realty.core.security.Caller;
import realty.api.security.PermissionMatrix.Action;
import realty.api.security.PermissionMatrix.Resource;
import realty.core.tenancy.TenantJdbc;
import realty.core.tenancy.TenantScope;

import java.math.BigDecimal;
import java.sql.Connection;
import java.util.UUID;

/**
 * {@code GET/PUT /api/v1/companies/{id}/settings}: the company's prospector share (domain.md §3,
 * default 30 %, 0–100). Every user of the company reads it; the owner (company update) changes it.
 */
@Controller("/api/v1/companies/{id}/settings")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class CompanySettingsController {
    // A company is its own tenant: its id is exposed as company_id for the scope restriction.
    private static final String SELECT = """
            SELECT c.prospector_share_percent FROM (SELECT id AS company_id, prospector_share_percent FROM companies) c
            WHERE c.company_id = ? AND {scope:c}""";
    private static final String UPDATE = """
            UPDATE companies SET prospector_share_percent = ?
            WHERE id = (SELECT c.company_id FROM (SELECT id AS company_id FROM companies) c WHERE c.company_id = ? AND {scope:c})""";

    private final TransactionOperations<Connection> tx;
    private final TenantJdbc jdbc;

    public CompanySettingsController(TransactionOperations<Connection> tx, TenantJdbc jdbc) {
        this.tx = tx;
        this.jdbc = jdbc;
    }

    @Serdeable
    public record CompanySettings(@NotNull @DecimalMin("0") @DecimalMax("100") @Digits(integer = 3, fraction = 2)
                                  BigDecimal prospectorSharePercent) {
    }

    @Get
    public CompanySettings get(Caller caller, @PathVariable UUID id) {
        return tx.executeRead(status -> jdbc.one(status.getConnection(), TenantScope.of(caller), SELECT,
                        rs -> new CompanySettings(rs.getBigDecimal(1)), id))
                .orElseThrow(() -> ProblemException.notFound("company"));
    }

    @Put
    public CompanySettings put(Caller caller, @PathVariable UUID id, @Body @Valid CompanySettings body) {
        Access.require(caller, Resource.COMPANY, Action.UPDATE);
        CompanySettings current = get(caller, id); // 404 outside the caller's companies
        if (Access.scope(caller, Resource.COMPANY, Action.UPDATE).isEmpty()) {
            throw Access.forbiddenOnRow(Resource.COMPANY, Action.UPDATE);
        }
        if (current.prospectorSharePercent().compareTo(body.prospectorSharePercent()) != 0) {
            tx.executeWrite(status -> jdbc.update(status.getConnection(), TenantScope.of(caller), UPDATE,
                    body.prospectorSharePercent(), id));
        }
        return get(caller, id);
    }
}
