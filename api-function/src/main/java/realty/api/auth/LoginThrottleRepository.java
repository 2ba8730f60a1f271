package realty.api.auth;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;

/**
 * {@code login_throttles}: one counted window per key: an account digest or a source address of a login
 * ({@code account:}, {@code source:}), or of the password throttles ({@code reset-email:},
 * {@code reset-source:}, {@code password-change:}; {@link PasswordThrottle}). Every
 * statement touches the keys of one login by primary key, so the table's size never slows a login;
 * the counting is one upsert, so concurrent attempts each see a distinct count. Times are the
 * database's clock, the same for every Lambda instance.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface LoginThrottleRepository extends GenericRepository<LoginThrottleRepository.Counter, String> {

    /**
     * A key's window after a statement; {@code retryAfterSeconds} (computed, not a column) until the
     * window ends. Mapped as the table's entity because Micronaut Data maps the rows of a statement
     * with RETURNING onto the repository's entity only.
     */
    @MappedEntity("login_throttles")
    record Counter(@Id String key, Instant windowStart, int attempts, int failures, long retryAfterSeconds) {
    }

    String ENDED = "t.window_start <= now() - CAST(:windowSeconds AS int) * interval '1 second'";
    String RETRY_AFTER = "CAST(CEIL(EXTRACT(EPOCH FROM window_start + CAST(:windowSeconds AS int) * interval '1 second' - now())) AS bigint)"
            + " AS retry_after_seconds";

    /**
     * Reserves one attempt on both keys, starting a new window where the last one has ended. The
     * account key comes first in every statement, so two logins lock their rows in the same order.
     */
    @Query("WITH counted AS (INSERT INTO login_throttles AS t (key, window_start, attempts) VALUES (:account, now(), 1), (:source, now(), 1)"
            + " ON CONFLICT (key) DO UPDATE SET"
            + " window_start = CASE WHEN " + ENDED + " THEN now() ELSE t.window_start END,"
            + " attempts = CASE WHEN " + ENDED + " THEN 1 ELSE t.attempts + 1 END,"
            + " failures = CASE WHEN " + ENDED + " THEN 0 ELSE t.failures END"
            + " RETURNING key, window_start, attempts, failures)"
            + " SELECT key, window_start, attempts, failures, " + RETRY_AFTER + " FROM counted")
    List<Counter> reserve(String account, String source, int windowSeconds);

    /** {@link #reserve} for one key (a password change counts per user only). */
    @Query("WITH counted AS (INSERT INTO login_throttles AS t (key, window_start, attempts) VALUES (:key, now(), 1)"
            + " ON CONFLICT (key) DO UPDATE SET"
            + " window_start = CASE WHEN " + ENDED + " THEN now() ELSE t.window_start END,"
            + " attempts = CASE WHEN " + ENDED + " THEN 1 ELSE t.attempts + 1 END,"
            + " failures = CASE WHEN " + ENDED + " THEN 0 ELSE t.failures END"
            + " RETURNING key, window_start, attempts, failures)"
            + " SELECT key, window_start, attempts, failures, " + RETRY_AFTER + " FROM counted")
    List<Counter> reserveOne(String key, int windowSeconds);

    /** Gives back the reservations of an attempt that was refused without checking its password. */
    @Query("UPDATE login_throttles SET attempts = attempts - 1 WHERE attempts > 0"
            + " AND ((key = :account AND window_start = :accountWindow) OR (key = :source AND window_start = :sourceWindow))")
    void release(String account, Instant accountWindow, String source, Instant sourceWindow);

    /** Records a failed attempt on both keys (if their windows are still the attempt's). */
    @Query("WITH counted AS (UPDATE login_throttles SET failures = failures + 1"
            + " WHERE (key = :account AND window_start = :accountWindow) OR (key = :source AND window_start = :sourceWindow)"
            + " RETURNING key, window_start, attempts, failures)"
            + " SELECT key, window_start, attempts, failures, " + RETRY_AFTER + " FROM counted")
    List<Counter> fail(String account, Instant accountWindow, String source, Instant sourceWindow, int windowSeconds);

    /**
     * A successful login clears its account's window (whoever knows the password may try again) but
     * only gives back its own reservation on the source: failures of other accounts from the same
     * address stay counted, so logging in to one's own account between guesses buys nothing.
     */
    @Query("UPDATE login_throttles SET attempts = CASE WHEN key = :account THEN 0 ELSE attempts - 1 END,"
            + " failures = CASE WHEN key = :account THEN 0 ELSE failures END"
            + " WHERE key = :account OR (key = :source AND window_start = :sourceWindow AND attempts > 0)")
    void succeed(String account, String source, Instant sourceWindow);

    /** Drops windows that ended (through the window_start index); run with the outbox relay. */
    @Query("DELETE FROM login_throttles t WHERE " + ENDED)
    int dropEnded(int windowSeconds);
}
