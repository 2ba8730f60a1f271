package realty.api.company;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.Scoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Companies: a company is its own tenant, so its scope column is {@code id}. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface CompanyRepository extends GenericRepository<Company, UUID> {

    @Query("INSERT INTO companies (id, name, legal_name, cnpj, creci, created_at) "
            + "VALUES (:id, :name, :legalName, :cnpj, :creci, :createdAt)")
    void insert(UUID id, String name, @Nullable String legalName, @Nullable String cnpj, @Nullable String creci, Instant createdAt);

    String COLUMNS = "SELECT c.id, c.name, c.legal_name, c.cnpj, c.creci, c.active, c.created_at FROM companies c ";
    String SCOPE = "(:allCompanies OR c.id = ANY(CAST(:companies AS uuid[])))";

    @Scoped
    @Query(COLUMNS + "WHERE " + SCOPE + " AND c.id > :after ORDER BY c.id LIMIT :limit")
    List<CompanyController.CompanyView> list(RowScope scope, UUID after, int limit);

    @Scoped
    @Query(COLUMNS + "WHERE c.id = :id AND " + SCOPE)
    Optional<CompanyController.CompanyView> find(RowScope scope, UUID id);

    /** The row locked for an update (its values before the change go into company.updated). */
    @Scoped
    @Query(COLUMNS + "WHERE c.id = :id AND " + SCOPE + " FOR UPDATE")
    Optional<CompanyController.CompanyView> lock(RowScope scope, UUID id);

    @Scoped
    @Query("UPDATE companies c SET name = :name, legal_name = :legalName, cnpj = :cnpj, creci = :creci WHERE c.id = :id AND " + SCOPE)
    int update(RowScope scope, UUID id, String name, @Nullable String legalName, @Nullable String cnpj, @Nullable String creci);

    @Scoped
    @Query("SELECT c.prospector_share_percent FROM companies c WHERE c.id = :id AND (:allCompanies OR c.id = ANY(CAST(:companies AS uuid[])))")
    Optional<BigDecimal> findProspectorShare(RowScope scope, UUID id);

    @Scoped
    @Query("UPDATE companies c SET prospector_share_percent = :percent WHERE c.id = :id AND (:allCompanies OR c.id = ANY(CAST(:companies AS uuid[])))")
    int updateProspectorShare(RowScope scope, UUID id, BigDecimal percent);
}
