package realty.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A PostgreSQL server for the local runner and for tests: an external one named by the environment,
 * a Testcontainers container when a Docker engine answers, or else an embedded PostgreSQL 15
 * (zonky binaries, no Docker and no installation needed; when run as root, zonky runs it in a user
 * namespace through {@code unshare -U}).
 *
 * <p>The server has the superuser {@code postgres} and the database {@code postgres}.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);

    /** Docker image used when a Docker engine answers. */
    static final String IMAGE = "postgres:15-alpine";

    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";
    private static final String DATABASE = "postgres";

    private static LocalPostgres shared;

    /**
     * How to start the server; used by the embedded server and the container, not by an external one.
     *
     * @param dataDirectory where the data lives and survives restarts; {@code null} for a temporary
     *                      directory deleted on {@link #close()}
     * @param port          TCP port on the loopback interface; {@code 0} for any free port
     */
    public record Options(Path dataDirectory, int port) {

        /** Checks the port range. */
        public Options {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535, not " + port);
            }
        }
    }

    private final String jdbcUrl;
    private final String username;
    private final String password;
    private final String description;
    private final AutoCloseable server;
    private final boolean sharedInstance;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalPostgres(String jdbcUrl, String username, String password, String description,
                          AutoCloseable server, boolean sharedInstance) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
        this.description = description;
        this.server = server;
        this.sharedInstance = sharedInstance;
    }

    /**
     * Starts (or connects to) a PostgreSQL server.
     *
     * <p>Env {@code REALTY_DB_URL} (+ {@code REALTY_DB_USERNAME}, {@code REALTY_DB_PASSWORD}) if set;
     * else Testcontainers {@code postgres:15-alpine} when a Docker engine answers (asked with a time
     * limit, never throwing when there is no engine); else a zonky {@code EmbeddedPostgres}.
     *
     * @param options data directory and port; {@code null} means a temporary directory and any free port
     * @return the running server; close it to stop what was started
     */
    public static LocalPostgres start(Options options) {
        return start(options == null ? new Options(null, 0) : options, false);
    }

    /**
     * One server per JVM for tests (temporary data directory, random port), started on first use and
     * stopped by a shutdown hook. Its {@link #close()} does nothing, since other tests share it.
     *
     * @return the JVM-wide server
     */
    public static synchronized LocalPostgres shared() {
        if (shared == null) {
            LocalPostgres postgres = start(new Options(null, 0), true);
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::stop, "realty-local-postgres-stop"));
            shared = postgres;
        }
        return shared;
    }

    /** @return the JDBC URL of the {@code postgres} database */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** @return the user to connect as */
    public String username() {
        return username;
    }

    /** @return the password of {@link #username()} */
    public String password() {
        return password;
    }

    /** @return what runs where, e.g. {@code "embedded PostgreSQL 15.19 on port 54321"} */
    public String description() {
        return description;
    }

    /** Stops the server if this object started it; does nothing for {@link #shared()} and external servers. */
    @Override
    public void close() {
        if (sharedInstance) {
            LOG.debug("close() on the shared PostgreSQL ignored; it stops when the JVM exits");
            return;
        }
        stop();
    }

    @Override
    public String toString() {
        return description;
    }

    private void stop() {
        if (server == null || !closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
            LOG.debug("stopped {}", description);
        } catch (Exception e) {
            LOG.warn("could not stop {}: {}", description, e.toString());
        }
    }

    private static LocalPostgres start(Options options, boolean sharedInstance) {
        long begin = System.nanoTime();
        LocalPostgres postgres;
        String url = Env.get("REALTY_DB_URL");
        if (url != null) {
            int query = url.indexOf('?');
            postgres = new LocalPostgres(url, Env.get("REALTY_DB_USERNAME", USER), Env.get("REALTY_DB_PASSWORD", ""),
                    "external PostgreSQL at " + (query < 0 ? url : url.substring(0, query)), null, sharedInstance);
        } else if (DockerSupport.isAvailable()) {
            postgres = startContainer(options, sharedInstance);
        } else {
            postgres = startEmbedded(options, sharedInstance);
        }
        LOG.info("using {} (ready in {} ms)", postgres.description,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        return postgres;
    }

    private static LocalPostgres startContainer(Options options, boolean sharedInstance) {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse(IMAGE))
                .withDatabaseName(DATABASE)
                .withUsername(USER)
                .withPassword(PASSWORD);
        if (options.port() != 0) {
            container.setPortBindings(List.of(options.port() + ":" + PostgreSQLContainer.POSTGRESQL_PORT));
        }
        if (options.dataDirectory() != null) {
            Path data = createDirectories(options.dataDirectory());
            container.withFileSystemBind(data.toString(), "/var/lib/postgresql/data", BindMode.READ_WRITE);
        }
        container.start();
        String description = "Testcontainers " + IMAGE + " on " + container.getHost() + ":"
                + container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
        return new LocalPostgres(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                description, container::stop, sharedInstance);
    }

    private static LocalPostgres startEmbedded(Options options, boolean sharedInstance) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(options.port())
                .setPGStartupWait(Duration.ofSeconds(60))
                // Local and test data only: favour speed over durability (zonky already turns fsync off).
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "200");
        if (options.dataDirectory() != null) {
            Path data = createDirectories(options.dataDirectory());
            stopOrphanedPostmaster(data);
            builder.setDataDirectory(data).setCleanDataDirectory(false);
        } else {
            builder.setCleanDataDirectory(true);
        }
        EmbeddedPostgres embedded;
        try {
            embedded = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("could not start embedded PostgreSQL"
                    + (isRoot() ? " (running as root needs a working 'unshare -U', which zonky uses to leave root)" : "")
                    + ": " + e.getMessage(), e);
        }
        String jdbcUrl = "jdbc:postgresql://localhost:" + embedded.getPort() + "/" + DATABASE;
        String version = serverVersion(jdbcUrl);
        String description = "embedded PostgreSQL " + version + " on port " + embedded.getPort()
                + (options.dataDirectory() == null ? "" : " (data in " + options.dataDirectory() + ")");
        return new LocalPostgres(jdbcUrl, USER, PASSWORD, description, embedded, sharedInstance);
    }

    private static String serverVersion(String jdbcUrl) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, USER, PASSWORD);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("show server_version")) {
            return rows.next() ? rows.getString(1).split(" ")[0] : "?";
        } catch (SQLException e) {
            LOG.debug("could not read the server version", e);
            return "?";
        }
    }

    /**
     * A persistent data directory may still have a postmaster running from a JVM that was killed
     * (pg_ctl starts it detached). Stop it, unless another live JVM holds zonky's lock on the directory.
     */
    private static void stopOrphanedPostmaster(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        Path lockFile = data.resolve("epg-lock");
        if (Files.exists(lockFile)) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    throw new IllegalStateException("PostgreSQL data directory " + data + " is in use by another process");
                }
                lock.release();
            } catch (OverlappingFileLockException e) {
                throw new IllegalStateException("PostgreSQL data directory " + data + " is already in use in this JVM", e);
            } catch (IOException e) {
                LOG.debug("could not check {}", lockFile, e);
            }
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        LOG.warn("stopping PostgreSQL (pid {}) left running on {} by a previous run", pid, data);
        ProcessHandle postmaster = process.get();
        postmaster.destroy();
        try {
            postmaster.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            postmaster.destroyForcibly();
        }
    }

    private static Path createDirectories(Path directory) {
        try {
            return Files.createDirectories(directory.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + directory, e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
