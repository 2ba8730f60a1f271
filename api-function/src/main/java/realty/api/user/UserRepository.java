package realty.api.user;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.Scoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Users with their profiles and companies. A user is visible only when they share a company with
 * the scope; the writes of {@link UserService} that must see every company of a user (replacing
 * links, locking, the last-owner check) take {@link RowScope#system()}.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UserRepository extends GenericRepository<UserRepository.User, UUID> {

    /** The table's key, so the repository has an entity to bind the scope expressions against. */
    @MappedEntity("users")
    record User(@Id UUID id) {
    }

    /** Company ids as text: Micronaut Data reads no uuid arrays. */
    @Introspected
    record Row(UUID id, String email, String name, String locale, boolean active, Instant createdAt, String[] profiles,
               String[] companyIds) {
    }

    String COLUMNS = """
            SELECT u.id, u.email, u.name, u.locale, u.active, u.created_at,
                   ARRAY(SELECT profile FROM user_profiles p WHERE p.user_id = u.id ORDER BY profile) AS profiles,
                   ARRAY(SELECT CAST(c.company_id AS text) FROM user_companies c WHERE c.user_id = u.id ORDER BY c.company_id)
                       AS company_ids
            FROM users u\s""";
    /** Tenancy: a user is visible only when they share a company with the scope. */
    String IN_SCOPE = " EXISTS (SELECT 1 FROM user_companies s WHERE s.user_id = u.id"
            + " AND (:allCompanies OR s.company_id = ANY(CAST(:companies AS uuid[])))) ";

    @Scoped
    @Query(COLUMNS + "WHERE u.id = :id AND" + IN_SCOPE)
    Optional<Row> find(RowScope scope, UUID id);

    /**
     * A page in id order after {@code :after}. The page's ids come from user_companies: each company's
     * next members from user_companies_company (company, user), a LATERAL per company as in GET /sales,
     * or for the platform admin the primary key (user, company) from the cursor on; the users are then
     * read by id (a member of two of the caller's companies once). Each branch runs only for its kind
     * of scope (local: HotPathPlansTest).
     */
    @Scoped
    @Query(COLUMNS + "WHERE u.id IN ((SELECT DISTINCT s.user_id FROM user_companies s WHERE :allCompanies AND s.user_id > :after"
            + " ORDER BY s.user_id LIMIT :limit) UNION ALL (SELECT m.user_id FROM companies c CROSS JOIN LATERAL (SELECT s.user_id"
            + " FROM user_companies s WHERE s.company_id = c.id AND s.user_id > :after ORDER BY s.user_id LIMIT :limit) m"
            + " WHERE NOT :allCompanies AND (:allCompanies OR c.id = ANY(CAST(:companies AS uuid[]))))) ORDER BY u.id LIMIT :limit")
    List<Row> list(RowScope scope, UUID after, int limit);

    /**
     * A new user (active) with their profiles and companies, in one statement: one round trip instead
     * of three inserts and a read of the row back on {@code POST /users}, the P1 path
     * (docs/benchmarks.md, issue 16). The links' foreign keys are checked at the end of the statement,
     * when the user row is there, and the trigger that keeps the platform admin out of companies runs
     * as for a separate insert. Answers the row's {@code created_at}: Micronaut Data reads an
     * {@code INSERT … RETURNING} statement's first column as the result.
     */
    @Query("""
            WITH u AS (INSERT INTO users (id, email, name, password_hash, locale, active, created_by)
                       VALUES (:id, :email, :name, :passwordHash, :locale, true, :createdBy) RETURNING created_at),
                 p AS (INSERT INTO user_profiles (user_id, profile) SELECT :id, unnest(CAST(:profiles AS text[]))),
                 c AS (INSERT INTO user_companies (user_id, company_id) SELECT :id, unnest(CAST(:companyIds AS uuid[])))
            SELECT created_at FROM u""")
    Instant create(UUID id, String email, String name, @Nullable String passwordHash, String locale, String createdBy,
                   String[] profiles, String[] companyIds);

    @Query("UPDATE users SET name = COALESCE(CAST(:name AS text), name), locale = COALESCE(CAST(:locale AS text), locale), "
            + "active = :active, updated_at = now() WHERE id = :id")
    void update(UUID id, @Nullable String name,
                @Nullable String locale, boolean active);

    @Query("INSERT INTO user_profiles (user_id, profile) SELECT :userId, unnest(CAST(:profiles AS text[]))")
    void insertProfiles(UUID userId, String[] profiles);

    @Query("DELETE FROM user_profiles WHERE user_id = :userId")
    void deleteProfiles(UUID userId);

    @Query("INSERT INTO user_companies (user_id, company_id) SELECT :userId, unnest(CAST(:companyIds AS uuid[]))")
    void insertCompanies(UUID userId, String[] companyIds);

    @Scoped
    @Query("DELETE FROM user_companies uc WHERE uc.user_id = :userId "
            + "AND (:allCompanies OR uc.company_id = ANY(CAST(:companies AS uuid[])))")
    void deleteCompanies(RowScope scope, UUID userId);

    /** How many of these companies exist and are active. */
    @Scoped
    @Query("SELECT count(*) FROM companies c WHERE c.id = ANY(CAST(:ids AS uuid[])) AND c.active "
            + "AND (:allCompanies OR c.id = ANY(CAST(:companies AS uuid[])))")
    long countActiveCompanies(RowScope scope, String[] ids);

    /** Locks the companies in id order, so two updates over the same companies cannot deadlock. */
    @Scoped
    @Query("SELECT c.id FROM companies c WHERE c.id = ANY(CAST(:ids AS uuid[])) "
            + "AND (:allCompanies OR c.id = ANY(CAST(:companies AS uuid[]))) ORDER BY c.id FOR UPDATE")
    List<UUID> lockCompanies(RowScope scope, String[] ids);

    /** Of these companies, those that exist and have no active owner left (at most one is reported). */
    @Scoped
    @Query("""
            SELECT x.id FROM unnest(CAST(:ids AS uuid[])) AS x(id) WHERE NOT EXISTS (
                SELECT 1 FROM user_companies uc JOIN users u ON u.id = uc.user_id
                JOIN user_profiles p ON p.user_id = u.id AND p.profile = 'owner'
                WHERE uc.company_id = x.id AND u.active)
            AND EXISTS (SELECT 1 FROM companies co WHERE co.id = x.id
                        AND (:allCompanies OR co.id = ANY(CAST(:companies AS uuid[]))))
            LIMIT 1""")
    Optional<UUID> companyWithoutActiveOwner(RowScope scope, String[] ids);
}
