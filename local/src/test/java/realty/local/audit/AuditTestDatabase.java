package realty.local.audit;

import io.micronaut.context.ApplicationContext;
import org.flywaydb.core.Flyway;
import realty.localinfra.LocalPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A migrated database of one audit retention test class and the function contexts started on it
 * (created here, closed and dropped together), so the months a retention pass drops hold only that
 * class's rows; with the month-filling the classes share.
 */
final class AuditTestDatabase implements AutoCloseable {
    private final LocalPostgres postgres = LocalPostgres.shared();
    private final String name;
    private final String url;
    private final List<ApplicationContext> contexts = new ArrayList<>();

    private AuditTestDatabase(String name) {
        this.name = name;
        this.url = postgres.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
    }

    static AuditTestDatabase create(String prefix) throws SQLException {
        AuditTestDatabase db = new AuditTestDatabase(prefix + "_" + UUID.randomUUID().toString().replace("-", ""));
        db.onServer("CREATE DATABASE " + db.name);
        Flyway.configure().dataSource(db.url, db.postgres.username(), db.postgres.password())
                .locations("classpath:db/migration").load().migrate();
        return db;
    }

    /** A function context on this database with {@code properties} and {@code singletons}; closed by {@link #close} at the latest. */
    ApplicationContext start(Map<String, Object> properties, Object... singletons) {
        Map<String, Object> p = new HashMap<>(properties);
        p.putAll(Map.of("datasources.default.url", url, "datasources.default.username", postgres.username(),
                "datasources.default.password", postgres.password()));
        ApplicationContext context = ApplicationContext.builder().properties(p).singletons(singletons).start();
        contexts.add(context);
        return context;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, postgres.username(), postgres.password());
    }

    /**
     * {@code rows} audit rows of {@code company} in the month {@code monthsAgo} before this one, each
     * with {@code eventType}, a minute apart in time order; returns the month's partition.
     */
    String fillMonth(UUID company, int monthsAgo, int rows, String eventType) throws SQLException {
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(monthsAgo);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT audit_logs_ensure_partition(DATE '" + month + "')");
            rs.next();
            String partition = rs.getString(1);
            s.execute("INSERT INTO audit_logs (id, company_id, event_id, event_type, actor_user_id, resource_type, resource_id, "
                    + "occurred_at, data) SELECT gen_random_uuid(), '" + company + "', gen_random_uuid(), '" + eventType + "', "
                    + "'actor-' || g, 'user', 'u' || g, TIMESTAMPTZ '" + month + " 00:00:00+00' + g * interval '1 minute', "
                    + "jsonb_build_object('n', g) FROM generate_series(1, " + rows + ") g");
            return partition;
        }
    }

    boolean exists(String table) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private void onServer(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        for (ApplicationContext context : contexts) {
            if (context.isRunning()) {
                context.close();
            }
        }
        onServer("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
