package realty.api.property;

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

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Properties of the caller's companies, narrowed to the caller's own properties when the scope says
 * so: an agent's are those they list or are actively assigned to, a prospector's those they brought
 * in, a portal user's those they own (domain.md §2.2).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PropertyRepository extends GenericRepository<PropertyRepository.Property, UUID> {

    /** The table's key, so the repository has an entity to bind the scope expressions against. */
    @MappedEntity("properties")
    record Property(@Id UUID id) {
    }

    /** A property with its active assignments' agent ids (as text: Micronaut Data reads no uuid arrays). */
    @Introspected
    record Row(UUID id, UUID companyId, String referenceCode, String title, String type, String status, @Nullable BigDecimal price,
               @Nullable BigDecimal rentPrice, boolean forSale, boolean forRent, @Nullable String address, @Nullable UUID agentId,
               @Nullable UUID prospectorId, @Nullable UUID ownerUserId, String[] assignedAgentIds, String createdBy,
               Instant createdAt, Instant updatedAt, int version) {
    }

    String COLUMNS = """
            SELECT p.id, p.company_id, p.reference_code, p.title, p.type, p.status, p.price, p.rent_price, p.for_sale,
                   p.for_rent, p.address, p.agent_id, p.prospector_id, p.owner_user_id,
                   ARRAY(SELECT CAST(pa.agent_id AS text) FROM property_assignments pa WHERE pa.property_id = p.id AND pa.active
                         ORDER BY pa.agent_id) AS assigned_agent_ids,
                   p.created_by, p.created_at, p.updated_at, p.version
            FROM properties p\s""";
    String MY_AGENTS = "SELECT me.id FROM agents me WHERE me.user_id = :ownUser AND me.active";
    String SCOPE = "(:allCompanies OR p.company_id = ANY(CAST(:companies AS uuid[])))";
    String OWN = " AND (NOT :ownOnly"
            + " OR (:viaAgent AND (p.agent_id IN (" + MY_AGENTS + ") OR EXISTS (SELECT 1 FROM property_assignments pa"
            + " WHERE pa.property_id = p.id AND pa.active AND pa.agent_id IN (" + MY_AGENTS + "))))"
            + " OR (:viaProspector AND p.prospector_id IN (" + MY_AGENTS + "))"
            + " OR (:viaUser AND p.owner_user_id = :ownUser))";
    /** Also the statement of the CSV import's batch (PropertyImport), which sends many rows in one round trip. */
    String INSERT = """
            INSERT INTO properties (id, company_id, reference_code, title, type, status, price, rent_price, for_sale, for_rent,
                                    address, agent_id, prospector_id, owner_user_id, created_by)
            VALUES (?, ?, ?, ?, ?, COALESCE(?, 'available'), ?, ?, COALESCE(?, true), COALESCE(?, false), ?, ?, ?, ?, ?)""";

    @Query("""
            INSERT INTO properties (id, company_id, reference_code, title, type, status, price, rent_price, for_sale, for_rent,
                                    address, agent_id, prospector_id, owner_user_id, created_by)
            VALUES (:id, :companyId, :referenceCode, :title, :type, COALESCE(CAST(:status AS text), 'available'), :price, :rentPrice,
                    COALESCE(CAST(:forSale AS boolean), true), COALESCE(CAST(:forRent AS boolean), false), :address,
                    CAST(:agentId AS uuid), CAST(:prospectorId AS uuid), CAST(:ownerUserId AS uuid), :createdBy)""")
    void insert(UUID id, UUID companyId, String referenceCode, String title, String type, @Nullable String status,
                @Nullable BigDecimal price, @Nullable BigDecimal rentPrice, @Nullable Boolean forSale, @Nullable Boolean forRent,
                @Nullable String address, @Nullable UUID agentId, @Nullable UUID prospectorId, @Nullable UUID ownerUserId,
                String createdBy);

    @Scoped
    @Query(COLUMNS + "WHERE p.id = :id AND " + SCOPE + OWN)
    Optional<Row> find(RowScope scope, UUID id);

    String PAGE_FILTERS = OWN + " AND p.id > :after AND (CAST(:status AS text) IS NULL OR p.status = CAST(:status AS text))";

    /**
     * A page in id order after {@code :after}. A caller of some companies (or of one, with
     * {@code companyId}) reads each company's page from properties_company, a LATERAL per company as
     * in GET /sales, and the pages are merged: a bounded index range per company whatever the
     * statistics. The platform admin without a company walks the primary key. Each branch runs only
     * for its kind of scope (local: HotPathPlansTest).
     */
    @Scoped
    @Query("SELECT x.* FROM ((" + COLUMNS + "WHERE :allCompanies AND CAST(:companyId AS uuid) IS NULL" + PAGE_FILTERS
            + " ORDER BY p.id LIMIT :limit) UNION ALL (SELECT y.* FROM companies c CROSS JOIN LATERAL (" + COLUMNS
            + "WHERE p.company_id = c.id" + PAGE_FILTERS + " ORDER BY p.id LIMIT :limit) y"
            + " WHERE (:allCompanies OR c.id = ANY(CAST(:companies AS uuid[]))) AND (NOT :allCompanies OR CAST(:companyId AS uuid) IS NOT NULL)"
            + " AND (CAST(:companyId AS uuid) IS NULL OR c.id = CAST(:companyId AS uuid)))) x ORDER BY x.id LIMIT :limit")
    List<Row> list(RowScope scope, UUID after, @Nullable UUID companyId, @Nullable String status, int limit);

    @Scoped
    @Query("""
            UPDATE properties p SET title = :title, type = :type, status = :status, price = :price, rent_price = :rentPrice,
                   for_sale = :forSale, for_rent = :forRent, address = :address, agent_id = CAST(:agentId AS uuid),
                   prospector_id = CAST(:prospectorId AS uuid), owner_user_id = CAST(:ownerUserId AS uuid), updated_at = now(),
                   version = version + 1
            WHERE p.id = :id AND (:allCompanies OR p.company_id = ANY(CAST(:companies AS uuid[])))""")
    int update(RowScope scope, UUID id, String title, String type, String status, @Nullable BigDecimal price,
               @Nullable BigDecimal rentPrice, boolean forSale, boolean forRent, @Nullable String address, @Nullable UUID agentId,
               @Nullable UUID prospectorId, @Nullable UUID ownerUserId);

    @Scoped
    @Query("DELETE FROM properties p WHERE p.id = :id AND " + SCOPE)
    int delete(RowScope scope, UUID id);

    /** The caller's active agent record in the company (a prospector creating a property becomes its prospector). */
    @Scoped
    @Query("SELECT a.id FROM agents a WHERE a.user_id = :userId AND a.company_id = :companyId AND a.active "
            + "AND (:allCompanies OR a.company_id = ANY(CAST(:companies AS uuid[])))")
    Optional<UUID> activeAgentOf(RowScope scope, UUID userId, UUID companyId);

    /** Of these reference codes, those the company already uses (the CSV import checks them before its batch). */
    @Scoped
    @Query("SELECT p.reference_code FROM properties p WHERE p.company_id = :companyId AND p.reference_code = ANY(CAST(:codes AS text[])) "
            + "AND " + SCOPE)
    List<String> existingReferenceCodes(RowScope scope, UUID companyId, String[] codes);

    /** Of these agent ids, those of the company's agents (as text, cast in the SQL). */
    @Scoped
    @Query("SELECT CAST(a.id AS text) FROM agents a WHERE a.company_id = :companyId AND a.id = ANY(CAST(:ids AS uuid[])) "
            + "AND (:allCompanies OR a.company_id = ANY(CAST(:companies AS uuid[])))")
    List<String> agentsOfCompany(RowScope scope, UUID companyId, String[] ids);
}
