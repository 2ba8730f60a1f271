package realty.api.password;

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

/** {@code password_reset_requests}: one row per reset request, holding only the hash of its link's token. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PasswordResetRepository extends GenericRepository<PasswordResetRepository.Request, UUID> {

    @MappedEntity("password_reset_requests")
    record Request(@Id UUID id) {
    }

    /** A request as its link finds it; {@code superseded}: the same user asked again later. */
    @Introspected
    record Link(UUID id, @Nullable UUID userId, Instant expiresAt, @Nullable Instant usedAt, boolean superseded) {
    }

    @Query("INSERT INTO password_reset_requests (id, user_id, token_hash, expires_at) VALUES (:id, :userId, :tokenHash, :expiresAt)")
    void insert(UUID id, @Nullable UUID userId, String tokenHash, Instant expiresAt);

    @Query("""
            SELECT r.id, r.user_id, r.expires_at, r.used_at,
                   EXISTS (SELECT 1 FROM password_reset_requests n
                           WHERE n.user_id = r.user_id AND n.requested_at > r.requested_at) AS superseded
            FROM password_reset_requests r WHERE r.token_hash = :tokenHash""")
    Optional<Link> findByTokenHash(String tokenHash);

    /** Marks the request used; 0 when another request used it first. */
    @Query("UPDATE password_reset_requests SET used_at = clock_timestamp() WHERE id = :id AND used_at IS NULL")
    int markUsed(UUID id);
}
