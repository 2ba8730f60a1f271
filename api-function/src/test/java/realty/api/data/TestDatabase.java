package realty.api.data;

import realty.localinfra.LocalPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/** A fresh database on the shared local PostgreSQL, migrated at context start, for repository tests. */
final class TestDatabase {
    private TestDatabase() {
    }

    static Map<String, String> properties() {
        LocalPostgres postgres = LocalPostgres.shared();
        String database = "repo_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "datasources.default.url", postgres.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1"),
                "datasources.default.username", postgres.username(),
                "datasources.default.password", postgres.password(),
                "flyway.datasources.default.enabled", "true");
    }
}
