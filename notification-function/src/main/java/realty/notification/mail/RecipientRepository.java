package realty.notification.mail;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.Scoped;

import java.sql.Array;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Look-ups for who a notification goes to, each restricted to the scope's companies (the event's
 * company). UUID arrays come as an {@link Array} made by the transaction's connection
 * (Micronaut Data 4.14 has no UUID array type).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RecipientRepository extends GenericRepository<RecipientRepository.UserKey, UUID> {

    /** The table's key, so the repository has an entity to bind the scope expressions against. */
    @MappedEntity("users")
    record UserKey(@Id UUID id) {
    }

    /** An active user who can be mailed. */
    @Introspected
    record User(UUID id, String email, String name, String locale) {
    }

    /** The user linked to an agent. */
    @Introspected
    record AgentUser(UUID agentId, UUID id, String email, String name, String locale) {
    }

    /** A property's title and reference code. */
    @Introspected
    record PropertyLabel(String title, String referenceCode) {
    }

    @Scoped
    @Query("""
            SELECT DISTINCT u.id, u.email, u.name, u.locale FROM users u JOIN user_companies uc ON uc.user_id = u.id
            WHERE u.id = ANY(:userIds) AND u.active AND (:allCompanies OR uc.company_id = ANY(CAST(:companies AS uuid[])))""")
    List<User> users(RowScope scope, Array userIds);

    @Scoped
    @Query("""
            SELECT a.id AS agent_id, u.id, u.email, u.name, u.locale FROM agents a JOIN users u ON u.id = a.user_id
            WHERE a.id = ANY(:agentIds) AND a.active AND u.active
              AND (:allCompanies OR a.company_id = ANY(CAST(:companies AS uuid[])))""")
    List<AgentUser> usersOfAgents(RowScope scope, Array agentIds);

    @Scoped
    @Query("""
            SELECT DISTINCT u.id, u.email, u.name, u.locale FROM user_companies uc
            JOIN users u ON u.id = uc.user_id
            JOIN user_profiles p ON p.user_id = u.id AND p.profile = :profile
            WHERE uc.company_id = :companyId AND u.active
              AND (:allCompanies OR uc.company_id = ANY(CAST(:companies AS uuid[]))) ORDER BY u.email""")
    List<User> withProfile(RowScope scope, UUID companyId, String profile);

    @Scoped
    @Query("SELECT a.name FROM agents a WHERE a.id = :agentId AND (:allCompanies OR a.company_id = ANY(CAST(:companies AS uuid[])))")
    Optional<String> agentName(RowScope scope, UUID agentId);

    @Scoped
    @Query("""
            SELECT p.title, p.reference_code FROM properties p
            WHERE p.id = :propertyId AND (:allCompanies OR p.company_id = ANY(CAST(:companies AS uuid[])))""")
    Optional<PropertyLabel> property(RowScope scope, UUID propertyId);

    @Scoped
    @Query("""
            SELECT p.title, p.reference_code FROM sales s JOIN properties p ON p.id = s.property_id AND p.company_id = s.company_id
            WHERE s.id = :saleId AND (:allCompanies OR s.company_id = ANY(CAST(:companies AS uuid[])))""")
    Optional<PropertyLabel> propertyOfSale(RowScope scope, UUID saleId);
}
