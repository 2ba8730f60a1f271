package realty.core.consumer;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.core.annotation.Introspected;

import java.sql.Array;
import java.util.List;
import java.util.UUID;

/**
 * The consumer runtime's per-batch statements on {@code consumer_outcomes}: native SQL over arrays,
 * one statement per batch whatever its size. UUID arrays are passed as a {@link Array} made by the
 * connection, because Micronaut Data 4.14 has no UUID array type (it binds a {@code UUID[]} as one
 * UUID); text, int and bigint arrays are bound by Micronaut Data itself.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ConsumerOutcomeRepository extends GenericRepository<ConsumerOutcomeRepository.Status, UUID> {

    /** One row of the lock statement. */
    @Introspected
    record Status(UUID eventId, String status) {
    }

    @Query(ConsumerOutcomes.ENSURE)
    void ensure(String consumer, Array ids);

    @Query(ConsumerOutcomes.LOCK)
    List<Status> lock(String consumer, Array ids);

    @Query(ConsumerOutcomes.RECORD)
    void record(Array ids, String[] statuses, int[] attempts, String[] errors, long[] durations, String consumer);
}
