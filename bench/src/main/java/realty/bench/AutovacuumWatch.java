package realty.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What autovacuum did in the benchmark's database while a drain ran: pg_stat_activity sampled every
 * 200 ms on a connection of its own (one small query on a view, nothing read from the tables being
 * measured). A drain that shares the machine's two cores with a VACUUM of a million-row table is
 * slower for a reason outside the function; this says when that happened.
 */
final class AutovacuumWatch implements AutoCloseable {
    private static final long PERIOD_MS = 200;
    private final Connection sql;
    private final ScheduledExecutorService timer;
    private final Map<String, Integer> seen = new TreeMap<>();
    private int samples;
    private int busy;
    private Exception failure;

    AutovacuumWatch(Infra infra, String jdbcUrl) throws Exception {
        this.sql = infra.sql(jdbcUrl);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "autovacuum-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sample, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private synchronized void sample() {
        try (Statement s = sql.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT query FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database()")) {
            samples++;
            boolean any = false;
            while (rs.next()) {
                any = true;
                // "autovacuum: VACUUM ANALYZE public.outbox_events" → "VACUUM ANALYZE public.outbox_events"
                seen.merge(rs.getString(1).replaceFirst("^autovacuum: ", ""), 1, Integer::sum);
            }
            if (any) {
                busy++;
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    /** Stops sampling; e.g. "autovacuum: none in 75 samples" or "autovacuum: busy in 12 of 75 samples (VACUUM public.sales ×12)". */
    String describe() throws Exception {
        timer.shutdown();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        synchronized (this) {
            if (failure != null) {
                return "autovacuum: not watched (" + failure.getMessage() + ")";
            }
            if (busy == 0) {
                return "autovacuum: none in " + samples + " samples";
            }
            StringBuilder out = new StringBuilder("autovacuum: busy in " + busy + " of " + samples + " samples (");
            seen.forEach((what, n) -> out.append(what).append(" ×").append(n).append("; "));
            out.setLength(out.length() - 2);
            return out.append(')').toString();
        }
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        sql.close();
    }
}
