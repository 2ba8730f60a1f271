package realty.api.auth;

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
import java.util.Optional;
import java.util.UUID;

/** What a token's subject may do: the user's state, profiles and companies, read on every request in one statement. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface CallerRepository extends GenericRepository<CallerRepository.User, UUID> {

    /** The table's key, so the repository has an entity to bind the scope expressions against. */
    @MappedEntity("users")
    record User(@Id UUID id) {
    }

    /** Company ids as text: Micronaut Data reads no uuid arrays. */
    @Introspected
    record Row(String email, boolean active, boolean platformAdmin, String[] profiles, String[] companyIds, @Nullable Instant tokensNotBefore) {
    }

    /** Resolving who calls comes before any tenant is known: callers pass {@link RowScope#system()}. */
    @Scoped
    @Query("""
            SELECT u.email, u.active, u.platform_admin,
                   ARRAY(SELECT profile FROM user_profiles p WHERE p.user_id = u.id) AS profiles,
                   ARRAY(SELECT CAST(c.company_id AS text) FROM user_companies c WHERE c.user_id = u.id
                         AND (:allCompanies OR c.company_id = ANY(CAST(:companies AS uuid[])))) AS company_ids,
                   u.tokens_not_before
            FROM users u WHERE u.id = :id""")
    Optional<Row> load(RowScope scope, UUID id);

    /** The id behind the {@code platform-admin} token subject (index users_one_platform_admin). */
    @Query("SELECT id FROM users WHERE platform_admin")
    Optional<UUID> platformAdminId();
}
