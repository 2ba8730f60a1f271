package realty.api.invitation;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
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
 * Invitations and the password they lead to. No tenant scope here: an invitation is found by the
 * hash of its token (whoever holds the link is the invited person, whatever their company), and a
 * re-send reaches this only after {@link InvitationService} found the user in the caller's scope.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface InvitationRepository extends GenericRepository<InvitationRepository.Invitation, UUID> {

    /** The table's key, so the repository has an entity. */
    @MappedEntity("user_invitations")
    record Invitation(@Id UUID id) {
    }

    /** An invitation with what accepting it needs to know of its user. */
    @Introspected
    record Found(UUID id, UUID userId, Instant expiresAt, @Nullable Instant acceptedAt, @Nullable Instant supersededAt,
                 String email, boolean userActive, boolean userHasPassword) {
    }

    /** What re-sending needs to know of the user. */
    @Introspected
    record Invitee(String email, String name, String locale, boolean active, boolean hasPassword) {
    }

    @Query("INSERT INTO user_invitations (id, user_id, token_hash, expires_at, created_by) "
            + "VALUES (:id, :userId, :tokenHash, :expiresAt, :createdBy)")
    void insert(UUID id, UUID userId, String tokenHash, Instant expiresAt, @Nullable String createdBy);

    @Query("""
            SELECT i.id, i.user_id, i.expires_at, i.accepted_at, i.superseded_at, u.email,
                   u.active AS user_active, u.password_hash IS NOT NULL AS user_has_password
            FROM user_invitations i JOIN users u ON u.id = i.user_id WHERE i.token_hash = :tokenHash""")
    Optional<Found> findByTokenHash(String tokenHash);

    /** The user row locked, so that a re-send and an acceptance of the same user run one after the other. */
    @Query("SELECT email, name, locale, active, password_hash IS NOT NULL AS has_password FROM users WHERE id = :userId FOR UPDATE")
    Optional<Invitee> lockInvitee(UUID userId);

    @Query("SELECT id FROM user_invitations WHERE user_id = :userId AND accepted_at IS NULL AND superseded_at IS NULL")
    Optional<UUID> findOpen(UUID userId);

    @Query("UPDATE user_invitations SET superseded_at = now() WHERE id = :id")
    void supersede(UUID id);

    /** Uses the invitation if it is still open and valid; 0 rows when another request got there first. */
    @Query("UPDATE user_invitations SET accepted_at = now() "
            + "WHERE id = :id AND accepted_at IS NULL AND superseded_at IS NULL AND expires_at > now()")
    int accept(UUID id);

    /** Sets the first password of a user who has none yet; 0 rows when they have one or were deactivated meanwhile. */
    @Query("UPDATE users SET password_hash = :passwordHash, updated_at = now() "
            + "WHERE id = :userId AND password_hash IS NULL AND active")
    int setFirstPassword(UUID userId, String passwordHash);
}
