package realty.core.housekeeping;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.UUID;

/**
 * Deletes one batch of expired invitation and password-reset rows, oldest first, through the
 * {@code *_expires} indexes (V14). Anyone can create reset rows (POST /auth/password-reset answers
 * 202 for any e-mail), so without this the table would grow for ever. No company column: these
 * rows belong to users, not tenants.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface LinkRequestRepository extends GenericRepository<LinkRequestRepository.Link, UUID> {

    /** The repository's nominal entity (Micronaut Data wants one); only the native deletes below are used. */
    @MappedEntity("password_reset_requests")
    record Link(@Id UUID id, Instant expiresAt) {
    }

    @Query("""
            DELETE FROM password_reset_requests WHERE id IN (
                SELECT id FROM password_reset_requests WHERE expires_at < :before ORDER BY expires_at LIMIT :limit)""")
    int deleteResetRequests(Instant before, int limit);

    /** An open invitation that expired stays until it is this old too: a re-send supersedes it. */
    @Query("""
            DELETE FROM user_invitations WHERE id IN (
                SELECT id FROM user_invitations WHERE expires_at < :before ORDER BY expires_at LIMIT :limit)""")
    int deleteInvitations(Instant before, int limit);
}
