package realty.api.security;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;

/**
 * {@code refusal_windows}: refusals counted per source and window. Native SQL: the count is an
 * {@code ON CONFLICT} upsert with {@code RETURNING}, and the summary claim {@code FOR UPDATE SKIP LOCKED}.
 * A null {@code source} means every source (the sweep).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RefusalWindowRepository extends GenericRepository<RefusalWindowRepository.Window, String> {

    /** A closed window over the limit that is owed a summary. */
    @Introspected
    record Window(String source, Instant windowStart, int refusals) {
    }

    String OWING = "summarized_at IS NULL AND window_start < :current AND refusals > :limit"
            + " AND (CAST(:source AS text) IS NULL OR source = :source)";

    /** Counts one refusal; returns the window's count including it. */
    @Query("""
            INSERT INTO refusal_windows (source, window_start, refusals) VALUES (:source, :windowStart, 1)
            ON CONFLICT (source, window_start) DO UPDATE SET refusals = refusal_windows.refusals + 1 RETURNING refusals""")
    int count(String source, Instant windowStart);

    // SKIP LOCKED: two instances sweeping at once never summarise a window twice.
    @Query("SELECT source, window_start, refusals FROM refusal_windows WHERE " + OWING
            + " ORDER BY window_start LIMIT 500 FOR UPDATE SKIP LOCKED")
    List<Window> lockOwing(@Nullable String source, Instant current, int limit);

    @Query("UPDATE refusal_windows SET summarized_at = now() WHERE " + OWING)
    void markSummarized(@Nullable String source, Instant current, int limit);

    /** Counted windows are kept a day for investigation, then dropped. */
    @Query("DELETE FROM refusal_windows WHERE window_start < :before AND (summarized_at IS NOT NULL OR refusals <= :limit)")
    void dropBefore(Instant before, int limit);
}
