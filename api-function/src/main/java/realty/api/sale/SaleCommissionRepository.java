package realty.api.sale;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.Scoped;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * Cancelling a sale's pending commissions in one statement. A repository of its own because the
 * {@code RETURNING} rows map onto the repository's entity only (Micronaut Data 4.14 maps returned
 * rows onto entities, not onto projections).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SaleCommissionRepository extends GenericRepository<SaleCommissionRepository.CancelledCommission, UUID> {

    /** The columns of a cancelled commission transaction its events need. */
    @MappedEntity("commission_transactions")
    record CancelledCommission(@Id UUID id, UUID agentId, String role, BigDecimal amount) {
    }

    @Scoped
    @Query("""
            UPDATE commission_transactions t SET payment_status = 'cancelled', cancelled_at = now(), cancelled_by = :by
            WHERE t.sale_id = :saleId AND t.payment_status = 'pending'
            AND (:allCompanies OR t.company_id = ANY(CAST(:companies AS uuid[])))
            RETURNING t.id, t.agent_id, t.role, t.amount""")
    List<CancelledCommission> cancelPending(RowScope scope, UUID saleId, String by);
}
