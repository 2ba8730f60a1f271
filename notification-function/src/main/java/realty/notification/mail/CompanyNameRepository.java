package realty.notification.mail;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;
import java.util.UUID;

/** A company's name for the mails; companies is the tenant table itself, its id is the scope. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface CompanyNameRepository extends GenericRepository<CompanyNameRepository.CompanyName, UUID> {

    /** The repository's row type (Micronaut Data needs an introspected one); the query returns the name alone. */
    @Introspected
    record CompanyName(UUID id, String name) {
    }

    @Query("SELECT name FROM companies WHERE id = :companyId")
    Optional<String> companyName(UUID companyId);
}
