package realty.api.password;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A user's password and token cut-off. Users are not a tenant table: a password belongs to the
 * person, whichever companies they work for.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AccountPasswordRepository extends GenericRepository<AccountPasswordRepository.User, UUID> {

    /** The table's key, so the repository has an entity. */
    @MappedEntity("users")
    record User(@Id UUID id) {
    }

    @Query("SELECT password_hash FROM users WHERE id = :id AND active")
    Optional<String> passwordHash(UUID id);

    @Query("SELECT email FROM users WHERE id = :id AND active")
    Optional<String> email(UUID id);

    /** E-mails are unique regardless of case (users_email_unique on lower(email)). */
    @Query("SELECT id FROM users WHERE lower(email) = lower(:email) AND active")
    Optional<UUID> activeUserByEmail(String email);

    /** Sets the password of an active user; the V8 trigger moves tokens_not_before with it. */
    @Query("UPDATE users SET password_hash = :passwordHash, updated_at = now() WHERE id = :id AND active")
    int setPassword(UUID id, String passwordHash);

    @Query("SELECT tokens_not_before FROM users WHERE id = :id")
    Optional<Instant> tokensNotBefore(UUID id);
}
