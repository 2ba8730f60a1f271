package realty.api.auth;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;
import java.util.UUID;

/** The platform admin's users row (the one with {@code platform_admin}; index users_one_platform_admin). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PlatformAdminRepository extends GenericRepository<PlatformAdminRepository.Admin, UUID> {

    @Introspected
    record Admin(UUID id, String email) {
    }

    @Query("SELECT id, email FROM users WHERE platform_admin")
    Optional<Admin> find();

    /**
     * Creates the platform admin unless a platform admin or a user with this e-mail exists. ON CONFLICT
     * DO NOTHING covers both unique indexes: instances bootstrapping at once create one row, and an
     * existing row (and the password it may have changed to) is never touched. Returns 1 if created.
     */
    @Query("""
            WITH created AS (
                INSERT INTO users (id, email, name, password_hash, locale, active, platform_admin, created_by)
                VALUES (:id, :email, 'Platform admin', :passwordHash, 'en', true, true, 'platform-admin-bootstrap')
                ON CONFLICT DO NOTHING RETURNING id)
            SELECT count(*) FROM created""")
    long createIfAbsent(UUID id, String email, String passwordHash);
}
