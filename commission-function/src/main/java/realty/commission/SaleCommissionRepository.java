package realty.commission;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import realty.core.commission.SaleToSplit;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.Scoped;

import java.sql.Array;
import java.util.List;
import java.util.UUID;

/**
 * The sales of a split request, restricted to the scope's companies (the event's company). Native
 * SQL: {@code FOR UPDATE} and array binds, one statement per batch whatever its size. UUID arrays
 * come as an {@link Array} made by the transaction's connection (Micronaut Data 4.14 has no UUID array type).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SaleCommissionRepository extends GenericRepository<SaleCommissionRepository.Sale, UUID> {

    /** The table's key, so the repository has an entity to bind the scope expressions against. */
    @MappedEntity("sales")
    record Sale(@Id UUID id) {
    }

    String SCOPE = "(:allCompanies OR s.company_id = ANY(CAST(:companies AS uuid[])))";

    /** Completed sales still pending their split, locked so a concurrent cancel waits or wins. */
    @Scoped
    // One primary-key look-up per sale, in id order: the lock sits in the per-sale subquery, which keeps it a
    // nested loop over the sorted ids (so two batches lock in the same order and cannot deadlock). A join with
    // the scope beside it let the planner hash-join the batch with all of the company's completed sales
    // (local: HotPathPlansTest).
    @Query("SELECT s.* FROM (SELECT DISTINCT u.id FROM unnest(CAST(:saleIds AS uuid[])) AS u(id) ORDER BY u.id) x"
            + " CROSS JOIN LATERAL (SELECT s.id AS sale_id, s.company_id, s.sale_price AS price, s.sale_date, s.agent_id, s.prospector_id"
            + " FROM sales s WHERE s.id = x.id AND s.status = 'completed' AND s.commission_status = 'pending' AND " + SCOPE
            + " FOR UPDATE) s ORDER BY x.id")
    List<SaleToSplit> lockPending(RowScope scope, Array saleIds);

    @Scoped
    @Query("UPDATE sales s SET commission_status = u.status FROM unnest(:saleIds, CAST(:statuses AS text[])) AS u(id, status)"
            + " WHERE s.id = u.id AND s.commission_status = 'pending' AND " + SCOPE)
    void recordStatus(RowScope scope, Array saleIds, String[] statuses);
}
