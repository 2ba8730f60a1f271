package realty.localinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

    @Test
    void sharedServerAnswersSelectOne() throws SQLException {
        LocalPostgres postgres = LocalPostgres.shared();
        try (Connection connection = connect(postgres);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select 1")) {
            assertTrue(rows.next());
            assertEquals(1, rows.getInt(1));
        }
    }

    @Test
    void sharedServerIsPostgres15AndDescribesItself() throws SQLException {
        LocalPostgres postgres = LocalPostgres.shared();
        try (Connection connection = connect(postgres);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("show server_version")) {
            assertTrue(rows.next());
            String version = rows.getString(1);
            assertTrue(version.startsWith("15."), "server_version " + version);
        }
        assertFalse(postgres.description().isBlank());
    }

    @Test
    void sharedIsOnePerJvmAndSurvivesClose() throws SQLException {
        LocalPostgres postgres = LocalPostgres.shared();
        postgres.close();
        assertSame(postgres, LocalPostgres.shared());
        try (Connection connection = connect(postgres)) {
            assertTrue(connection.isValid(5));
        }
    }

    @Test
    void keepsDataInTheGivenDirectoryAcrossRestarts(@TempDir Path data) throws SQLException {
        if (System.getenv("REALTY_DB_URL") != null) {
            return; // an external server has no data directory of ours
        }
        try (LocalPostgres postgres = LocalPostgres.start(new LocalPostgres.Options(data.resolve("pg"), 0))) {
            try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
                statement.execute("create table kept (value text)");
                statement.execute("insert into kept values ('still here')");
            }
        }
        try (LocalPostgres postgres = LocalPostgres.start(new LocalPostgres.Options(data.resolve("pg"), 0));
             Connection connection = connect(postgres);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select value from kept")) {
            assertTrue(rows.next());
            assertEquals("still here", rows.getString(1));
        }
    }

    private static Connection connect(LocalPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }
}
