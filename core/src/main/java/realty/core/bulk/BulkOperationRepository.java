package realty.core.bulk;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.Scoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The open bulk operations and their counts (V11). Native SQL: the per-batch update takes every
 * (company, correlation id) of the batch in one statement, as arrays.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface BulkOperationRepository extends GenericRepository<BulkOperationRepository.Progress, UUID> {

    /**
     * A bulk after a batch changed its counts; {@code finishedAt} is set when this batch finished it.
     * The repository's entity, because the update's {@code RETURNING} rows map onto entities only
     * (Micronaut Data 4.14).
     */
    @MappedEntity("bulk_operations")
    record Progress(@Id UUID id, UUID companyId, String kind, String correlationId, @Nullable UUID startedBy, int itemCount,
                    int outstanding, int failedDeliveries, @Nullable Instant finishedAt) {
    }

    @Query("""
            INSERT INTO bulk_operations (id, company_id, kind, correlation_id, started_by, item_count, outstanding)
            VALUES (:id, :companyId, :kind, :correlationId, CAST(:startedBy AS uuid), :itemCount, :outstanding)""")
    void insert(UUID id, UUID companyId, String kind, String correlationId, @Nullable UUID startedBy, int itemCount, int outstanding);

    /**
     * Adds each (company, correlation id)'s change to its open bulk, if there is one, and finishes the
     * bulks that reach zero. The rows are locked in id order first (MATERIALIZED keeps the lock in the
     * CTE), so two consumers' batches touching the same two bulks cannot deadlock.
     */
    @Scoped
    @Query("""
            WITH d AS (SELECT * FROM unnest(CAST(:bulkCompanies AS uuid[]), CAST(:correlations AS text[]), CAST(:deltas AS int[]),
                                            CAST(:failed AS int[])) AS d(company_id, correlation_id, delta, failed)),
                 locked AS MATERIALIZED (
                     SELECT b.id FROM bulk_operations b JOIN d ON b.company_id = d.company_id AND b.correlation_id = d.correlation_id
                     WHERE b.finished_at IS NULL AND (:allCompanies OR b.company_id = ANY(CAST(:companies AS uuid[])))
                     ORDER BY b.id FOR UPDATE OF b)
            UPDATE bulk_operations b SET outstanding = b.outstanding + d.delta, failed_deliveries = b.failed_deliveries + d.failed,
                   finished_at = CASE WHEN b.outstanding + d.delta <= 0 THEN clock_timestamp() END
            FROM d WHERE b.id IN (SELECT id FROM locked) AND b.company_id = d.company_id AND b.correlation_id = d.correlation_id
            RETURNING b.id, b.company_id, b.kind, b.correlation_id, b.started_by, b.item_count, b.outstanding, b.failed_deliveries,
                      b.finished_at""")
    List<Progress> advance(RowScope scope, String[] bulkCompanies, String[] correlations, int[] deltas, int[] failed);

    /**
     * The rows (properties, sales) of a finished bulk whose events a consumer dead-lettered; a dead
     * split request stands for every sale of the bulk. Driven by the partial index of failing outcomes.
     */
    // MATERIALIZED: from the few dead outcomes to their events by key; otherwise the planner may walk all
    // of the company's events (outbox_events_company) and probe each (local: HotPathPlansTest).
    @Scoped
    @Query("""
            WITH dead AS MATERIALIZED (SELECT DISTINCT o.event_id FROM consumer_outcomes o WHERE o.status = 'DEAD')
            SELECT CAST(COALESCE(CASE WHEN bool_or(e.type = 'commission.split.requested') THEN :itemCount
                                      ELSE count(DISTINCT e.aggregate_type || ':' || e.aggregate_id) END, 0) AS int)
            FROM dead d JOIN outbox_events e ON e.id = d.event_id
            WHERE e.company_id = :companyId AND e.correlation_id = :correlationId
            AND (:allCompanies OR e.company_id = ANY(CAST(:companies AS uuid[])))""")
    int failedItems(RowScope scope, UUID companyId, String correlationId, int itemCount);

    @Scoped
    @Query("UPDATE bulk_operations b SET failed_items = :failedItems WHERE b.id = :id "
            + "AND (:allCompanies OR b.company_id = ANY(CAST(:companies AS uuid[])))")
    void recordFailedItems(RowScope scope, UUID id, int failedItems);
}
