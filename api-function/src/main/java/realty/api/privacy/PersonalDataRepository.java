package realty.api.privacy;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.serde.annotation.Serdeable;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.Scoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What the database holds about one user (LGPD art. 18: access and anonymisation), within a row scope. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PersonalDataRepository extends GenericRepository<PersonalDataRepository.User, UUID> {

    @MappedEntity("users")
    record User(@Id UUID id) {
    }

    @Introspected
    record UserRow(UUID id, String email, String name, String locale, boolean active, @Nullable String createdBy, Instant createdAt,
                   Instant updatedAt, String[] profiles, String[] companyIds) {
    }

    @Serdeable
    record CompanyRow(UUID id, String name) {
    }

    @Serdeable
    record AgentRow(UUID id, UUID companyId, String name, @Nullable String cpf, @Nullable String creci, boolean active,
                    Instant createdAt) {
    }

    @Introspected
    record AuditRow(UUID id, @Nullable UUID companyId, String eventType, @Nullable String actorUserId, String resourceType,
                    String resourceId, Instant occurredAt, @Nullable String requestId, @Nullable String sourceIp,
                    @Nullable String userAgent, String data) {
    }

    /** The user, when they share a company with the scope (the same visibility as GET /users/{id}). */
    @Scoped
    @Query("""
            SELECT u.id, u.email, u.name, u.locale, u.active, u.created_by, u.created_at, u.updated_at,
                   ARRAY(SELECT profile FROM user_profiles p WHERE p.user_id = u.id ORDER BY profile) AS profiles,
                   ARRAY(SELECT CAST(c.company_id AS text) FROM user_companies c WHERE c.user_id = u.id ORDER BY c.company_id)
                       AS company_ids
            FROM users u WHERE u.id = :id AND EXISTS (SELECT 1 FROM user_companies s WHERE s.user_id = u.id
                AND (:allCompanies OR s.company_id = ANY(CAST(:companies AS uuid[]))))""")
    Optional<UserRow> findUser(RowScope scope, UUID id);

    @Scoped
    @Query("""
            SELECT c.id, c.name FROM companies c JOIN user_companies uc ON uc.company_id = c.id
            WHERE uc.user_id = :userId AND (:allCompanies OR c.id = ANY(CAST(:companies AS uuid[]))) ORDER BY c.id""")
    List<CompanyRow> companies(RowScope scope, UUID userId);

    @Scoped
    @Query("""
            SELECT a.id, a.company_id, a.name, a.cpf, a.creci, a.active, a.created_at FROM agents a
            WHERE a.user_id = :userId AND (:allCompanies OR a.company_id = ANY(CAST(:companies AS uuid[]))) ORDER BY a.id""")
    List<AgentRow> agents(RowScope scope, UUID userId);

    /** Audit rows where the user acted or that are about the user, newest first. */
    @Scoped
    @Query("""
            SELECT l.id, l.company_id, l.event_type, l.actor_user_id, l.resource_type, l.resource_id, l.occurred_at, l.request_id,
                   l.source_ip, l.user_agent, CAST(l.data AS text) AS data
            FROM audit_logs l
            WHERE (l.actor_user_id = :userId OR (l.resource_type = 'user' AND l.resource_id = :userId))
              AND (:allCompanies OR l.company_id = ANY(CAST(:companies AS uuid[])))
            ORDER BY l.occurred_at DESC, l.id DESC LIMIT :limit""")
    List<AuditRow> auditRows(RowScope scope, String userId, int limit);

    @Scoped
    @Query("""
            SELECT count(*) FROM audit_logs l
            WHERE (l.actor_user_id = :userId OR (l.resource_type = 'user' AND l.resource_id = :userId))
              AND (:allCompanies OR l.company_id = ANY(CAST(:companies AS uuid[])))""")
    long countAuditRows(RowScope scope, String userId);

    /** Locks the user's companies in id order, as user updates do, so the last-owner check below holds. */
    @Scoped
    @Query("""
            SELECT c.id FROM companies c JOIN user_companies uc ON uc.company_id = c.id AND uc.user_id = :userId
            WHERE (:allCompanies OR c.id = ANY(CAST(:companies AS uuid[]))) ORDER BY c.id FOR UPDATE OF c""")
    List<UUID> lockCompanies(RowScope scope, UUID userId);

    @Query("UPDATE users SET name = :name, email = :email, active = false, updated_at = now() WHERE id = :id")
    void anonymiseUser(UUID id, String name, String email);

    @Scoped
    @Query("""
            UPDATE agents a SET name = :name, cpf = NULL, updated_at = now()
            WHERE a.user_id = :userId AND (:allCompanies OR a.company_id = ANY(CAST(:companies AS uuid[])))""")
    void anonymiseAgents(RowScope scope, UUID userId, String name);

    /** Of the user's companies, one left without an active owner, if any. */
    @Scoped
    @Query("""
            SELECT uc.company_id FROM user_companies uc WHERE uc.user_id = :userId
              AND (:allCompanies OR uc.company_id = ANY(CAST(:companies AS uuid[])))
              AND NOT EXISTS (SELECT 1 FROM user_companies o JOIN users u ON u.id = o.user_id
                              JOIN user_profiles p ON p.user_id = u.id AND p.profile = 'owner'
                              WHERE o.company_id = uc.company_id AND u.active)
            LIMIT 1""")
    Optional<UUID> companyWithoutActiveOwner(RowScope scope, UUID userId);
}
