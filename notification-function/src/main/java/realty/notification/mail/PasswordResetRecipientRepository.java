package realty.notification.mail;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;
import java.util.UUID;

/**
 * Who a password-reset link goes to: the request's user, only while the user is active and the
 * request still redeemable (unused, unexpired, the user's newest), so a superseded request mails
 * nothing. Users and reset requests are not tenant tables: an account spans companies.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PasswordResetRecipientRepository extends GenericRepository<PasswordResetRecipientRepository.Request, UUID> {

    @MappedEntity("password_reset_requests")
    record Request(@Id UUID id) {
    }

    @Introspected
    record User(UUID id, String email, String name, String locale) {
    }

    @Query("""
            SELECT u.id, u.email, u.name, u.locale FROM password_reset_requests r JOIN users u ON u.id = r.user_id
            WHERE r.id = :requestId AND u.active AND r.used_at IS NULL AND r.expires_at > now()
              AND NOT EXISTS (SELECT 1 FROM password_reset_requests n WHERE n.user_id = r.user_id AND n.requested_at > r.requested_at)""")
    Optional<User> pendingRecipient(UUID requestId);
}
