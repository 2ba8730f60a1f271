package realty.api.admin;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** What the consumers recorded in {@code consumer_outcomes}, for the queue health report. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ConsumerActivityRepository extends GenericRepository<ConsumerActivityRepository.Outcomes, String> {

    /** Per consumer over the window: PROCESSED events, failures, and the 95th percentile of handler time (µs). */
    @Introspected
    record Outcomes(String consumer, long processed, long failed, @Nullable Double p95Micros) {
    }

    /**
     * Events whose latest outcome is PROCESSED, or a failure (RETRYING or DEAD), and the 95th
     * percentile of the handler time of those outcomes.
     */
    // One range of consumer_outcomes_recent (consumer, updated_at) per consumer: a window of the
    // newest outcomes, whatever the table's size or statistics (local: HotPathPlansTest).
    @Query("""
            SELECT c.consumer, a.processed, a.failed, a.p95_micros
            FROM unnest(CAST(:consumers AS text[])) AS c(consumer) CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE o.status = 'PROCESSED') AS processed,
                       count(*) FILTER (WHERE o.status IN ('RETRYING', 'DEAD')) AS failed,
                       percentile_cont(0.95) WITHIN GROUP (ORDER BY o.duration_micros) FILTER (WHERE o.duration_micros IS NOT NULL)
                           AS p95_micros
                FROM consumer_outcomes o
                WHERE o.consumer = c.consumer AND o.updated_at > now() - make_interval(secs => :windowSeconds)) a""")
    List<Outcomes> outcomes(String[] consumers, double windowSeconds);

    /** Seconds since the consumer last recorded any outcome (null if never): one backward step on consumer_outcomes_recent. */
    @Query("SELECT EXTRACT(EPOCH FROM now() - max(updated_at))::float8 FROM consumer_outcomes WHERE consumer = :consumer")
    @Nullable
    Double secondsSinceLastOutcome(String consumer);
}
