package realty.api.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UserCredentialsRepository extends GenericRepository<UserCredentials, UUID> {

    /** E-mails are unique regardless of case (index users_email_unique on lower(email)); an exact match, never a pattern. */
    @Query("SELECT id, password_hash, active, platform_admin FROM users WHERE lower(email) = lower(:email)")
    Optional<UserCredentials> findByEmail(String email);
}
