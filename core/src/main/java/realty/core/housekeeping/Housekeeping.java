package realty.core.housekeeping;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.core.order.OrderUtil;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.observability.EventMetrics;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One housekeeping run: every {@link HousekeepingTask} of the context in order, each logged and
 * measured. A task runs only while this run holds the PostgreSQL advisory lock of its name, taken on
 * a connection of its own outside any transaction; a second run at the same time skips the tasks the
 * first is doing, so nothing is pruned or sent twice, whatever the task does inside.
 */
@Singleton
public class Housekeeping {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    public static final String DURATION = "realty.housekeeping.task.duration";
    public static final String DONE = "realty.housekeeping.task.count";

    /** How a task's part of a run went. */
    public enum Outcome { DONE, BUSY, OUT_OF_TIME, FAILED }

    public record TaskRun(String task, Outcome outcome, long count, long millis) {
    }

    private final List<HousekeepingTask> tasks;
    private final DataSource dataSource;
    private final MeterRegistry registry;

    public Housekeeping(List<HousekeepingTask> tasks, DataSource dataSource, EventMetrics metrics) {
        List<HousekeepingTask> sorted = new ArrayList<>(tasks);
        sorted.sort(OrderUtil.COMPARATOR);
        this.tasks = List.copyOf(sorted);
        // The lock needs a session that outlives the tasks' own transactions: a plain pool connection.
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.registry = metrics.registry();
    }

    public List<String> taskNames() {
        return tasks.stream().map(HousekeepingTask::name).toList();
    }

    /** Runs every task once; a task that fails is logged and the next one still runs. */
    public List<TaskRun> run(Instant deadline) {
        List<TaskRun> runs = new ArrayList<>();
        for (HousekeepingTask task : tasks) {
            TaskRun r = runOne(task, deadline);
            runs.add(r);
            Timer.builder(DURATION).tags("task", r.task(), "outcome", r.outcome().name()).register(registry)
                    .record(r.millis(), TimeUnit.MILLISECONDS);
            Counter.builder(DONE).description("rows removed or mails sent by a housekeeping task").tags("task", r.task())
                    .register(registry).increment(r.count());
        }
        return runs;
    }

    private TaskRun runOne(HousekeepingTask task, Instant deadline) {
        if (!Instant.now().isBefore(deadline)) {
            LOG.warn("housekeeping task {} not started: the run is out of time", task.name());
            return new TaskRun(task.name(), Outcome.OUT_OF_TIME, 0, 0);
        }
        long started = System.nanoTime();
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(true);
            if (!advisory(lock, "SELECT pg_try_advisory_lock(hashtextextended(?, 0))", task.name())) {
                LOG.info("housekeeping task {} skipped: another run is doing it", task.name());
                return new TaskRun(task.name(), Outcome.BUSY, 0, 0);
            }
            try {
                long count = task.run(deadline);
                long millis = elapsed(started);
                LOG.info("housekeeping task {} done: {} in {} ms", task.name(), count, millis);
                return new TaskRun(task.name(), Outcome.DONE, count, millis);
            } finally {
                advisory(lock, "SELECT pg_advisory_unlock(hashtextextended(?, 0))", task.name());
            }
        } catch (Exception e) {
            LOG.warn("housekeeping task {} failed: {}", task.name(), e.toString());
            return new TaskRun(task.name(), Outcome.FAILED, 0, elapsed(started));
        }
    }

    private static boolean advisory(Connection c, String sql, String task) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "realty.housekeeping." + task);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static long elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }
}
