package realty.api.data;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.api.company.CompanyRepository;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.TenantScope;

import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Repositories bind the row scope by name and join the caller's transaction. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RowScopeRepositoryTest implements TestPropertyProvider {
    @Inject
    CompanyRepository companies;
    @Inject
    TransactionOperations<Connection> tx;

    @Override
    public Map<String, String> getProperties() {
        return TestDatabase.properties();
    }

    private UUID company() {
        UUID id = UUID.randomUUID();
        tx.executeWrite(s -> {
            companies.insert(id, "Agency " + id, null, null, null, Instant.now());
            return null;
        });
        return id;
    }

    @Test
    void aScopeReachesOnlyItsCompanies() {
        UUID mine = company();
        UUID theirs = company();
        RowScope scope = RowScope.of(TenantScope.companies(Set.of(mine)));

        assertEquals(0, new BigDecimal("30").compareTo(companies.findProspectorShare(scope, mine).orElseThrow()));
        assertEquals(Optional.empty(), companies.findProspectorShare(scope, theirs));
        int outside = tx.executeWrite(s -> companies.updateProspectorShare(scope, theirs, new BigDecimal("10")));
        assertEquals(0, outside);
        assertEquals(0, new BigDecimal("30").compareTo(companies.findProspectorShare(RowScope.system(), theirs).orElseThrow()));
        int asSystem = tx.executeWrite(s -> companies.updateProspectorShare(RowScope.system(), theirs, new BigDecimal("10")));
        assertEquals(1, asSystem);
        assertEquals(0, new BigDecimal("10").compareTo(companies.findProspectorShare(RowScope.system(), theirs).orElseThrow()));
    }

    @Test
    void aRepositoryWriteIsRolledBackWithTheTransaction() {
        UUID id = UUID.randomUUID();
        assertThrows(IllegalStateException.class, () -> tx.executeWrite(s -> {
            companies.insert(id, "Rolled back", null, null, null, Instant.now());
            // inside the transaction the row is there, on the transaction's own connection
            assertTrue(companies.findProspectorShare(RowScope.system(), id).isPresent());
            throw new IllegalStateException("abort");
        }));
        assertEquals(Optional.empty(), companies.findProspectorShare(RowScope.system(), id));
    }
}
