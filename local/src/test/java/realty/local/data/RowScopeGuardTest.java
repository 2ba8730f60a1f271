package realty.local.data;

import io.micronaut.context.ApplicationContext;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.tenancy.RowScope;
import realty.core.tenancy.Scoped;
import realty.local.TestSystem;

import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No tenant query without a row scope: every repository query of every function (the local system's
 * classpath holds them all: api, core, commission, notification) that reads, changes or
 * deletes rows of a tenant table (any table with a company_id column, and companies itself; read
 * from the migrated schema, so a new tenant table is covered without touching this test) must take
 * a {@link RowScope} named {@code scope}, be {@link Scoped}, and use its company restriction.
 * Inserts name their company explicitly and are checked by the callers (Access.requireCompany).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RowScopeGuardTest {
    /** Repositories that work across companies by design, and why; each is named, never a package. */
    private static final Map<String, String> CROSS_TENANT = Map.of(
            "realty.core.outbox.OutboxRepository", "the relay publishes every company's committed events",
            "realty.notification.mail.MailLedgerRepository",
            "the mail ledger is keyed by event and recipient address; a recipient's rate limit spans companies",
            "realty.notification.mail.CompanyNameRepository", "reads the name of the event's own company, by the event's company id",
            "realty.notification.webhook.WebhookDeliveryRepository",
            "keyed by (event, subscription); the subscription was found through the scoped WebhookSubscriberRepository");

    private TestSystem t;
    private ApplicationContext context;
    private TransactionOperations<Connection> tx;

    @BeforeAll
    @SuppressWarnings("unchecked")
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        context = t.system.apiContext();
        tx = context.getBean(TransactionOperations.class);
    }

    @AfterAll
    void stop() {
        t.close();
    }

    private Set<String> tenantTables() {
        Set<String> tables = new TreeSet<>(Set.of("companies"));
        tx.executeRead(status -> {
            try (Statement s = status.getConnection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.columns "
                         + "WHERE table_schema = 'public' AND column_name = 'company_id'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            return null;
        });
        return tables;
    }

    /** What is wrong with a repository method's query, or empty when it is in order. */
    static Optional<String> violation(Set<String> tenantTables, String query, boolean scoped, List<Class<?>> parameterTypes) {
        List<String> touched = new ArrayList<>();
        for (String table : tenantTables) {
            if (Pattern.compile("\\b(from|join|update)\\s+" + table + "\\b", Pattern.CASE_INSENSITIVE).matcher(query).find()) {
                touched.add(table);
            }
        }
        if (touched.isEmpty()) {
            return Optional.empty();
        }
        if (!scoped || !parameterTypes.contains(RowScope.class)) {
            return Optional.of("touches " + touched + " without a RowScope parameter and @Scoped");
        }
        if (!Pattern.compile(":allCompanies\\s+OR\\s+\\w+\\.(company_id|id)\\s*=\\s*ANY\\(CAST\\(:companies AS uuid\\[]\\)\\)")
                .matcher(query).find()) {
            return Optional.of("touches " + touched + " without the company restriction (:allCompanies OR x.company_id = ANY(...))");
        }
        return Optional.empty();
    }

    @Test
    void everyTenantQueryOfEveryFunctionTakesTheRowScope() throws Exception {
        Set<String> tenants = tenantTables();
        assertTrue(tenants.containsAll(Set.of("companies", "agents", "properties", "sales", "audit_logs")), tenants.toString());
        List<String> violations = new ArrayList<>();
        int scopedQueries = 0;
        Set<String> repositories = new TreeSet<>();
        for (BeanDefinition<?> bean : context.getBeanDefinitions(Object.class)) {
            if (!bean.hasStereotype(JdbcRepository.class) || !bean.getBeanType().getName().startsWith("realty.")) {
                continue;
            }
            String type = bean.getBeanType().getName().replace("$Intercepted", "");
            repositories.add(type);
            if (CROSS_TENANT.containsKey(type)) {
                continue;
            }
            for (ExecutableMethod<?, ?> method : bean.getExecutableMethods()) {
                Optional<String> query = method.stringValue(Query.class);
                if (query.isEmpty()) {
                    continue;
                }
                List<Class<?>> types = Arrays.asList(method.getArgumentTypes());
                boolean scoped = method.hasStereotype(Scoped.class);
                violation(tenants, query.get(), scoped, types)
                        .ifPresent(v -> violations.add(bean.getBeanType().getSimpleName() + "." + method.getMethodName() + " " + v));
                if (scoped) {
                    scopedQueries++;
                }
            }
        }
        assertEquals(List.of(), violations);
        // the scan must see every function's repositories, and each exemption must still exist
        assertTrue(repositories.containsAll(Set.of("realty.api.property.PropertyRepository",
                "realty.core.commission.CommissionLookupRepository", "realty.commission.SaleCommissionRepository",
                "realty.notification.mail.RecipientRepository")), repositories.toString());
        assertTrue(repositories.containsAll(CROSS_TENANT.keySet()), repositories.toString());
        assertTrue(scopedQueries >= 8, "the guard saw only " + scopedQueries + " scoped queries: is it looking at the repositories?");
    }

    @Test
    void theGuardRefusesAQueryThatForgetsTheScope() throws Exception {
        Set<String> tenants = tenantTables();
        assertTrue(violation(tenants, "SELECT a.id FROM agents a WHERE a.id = :id", false, List.of()).isPresent());
        assertTrue(violation(tenants, "SELECT a.id FROM agents a WHERE a.id = :id", true, List.of(RowScope.class)).isPresent());
        assertTrue(violation(tenants, "UPDATE properties p SET title = :t WHERE p.id = :id", true, List.of(RowScope.class)).isPresent());
        assertTrue(violation(tenants, "SELECT 1 FROM x JOIN sales s ON true", false, List.of()).isPresent());
        assertTrue(violation(tenants, "SELECT a.id FROM agents a WHERE a.id = :id AND (:allCompanies OR a.company_id = "
                + "ANY(CAST(:companies AS uuid[])))", true, List.of(RowScope.class)).isEmpty());
        assertTrue(violation(tenants, "SELECT id FROM users WHERE email = :email", false, List.of()).isEmpty());
    }
}
