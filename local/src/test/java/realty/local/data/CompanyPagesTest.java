package realty.local.data;

import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.api.ApiFunction;
import realty.api.outbox.EventfulTransaction;
import realty.api.user.UserRepository;
import realty.core.config.FunctionContexts;
import realty.core.tenancy.RowScope;
import realty.core.topology.Topology;
import realty.local.TestSystem;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The list endpoints that read a page per company and merge them (issue 16, item 1; HotPathPlansTest
 * checks their plans): a caller of two companies pages through both in id order, a member of both
 * once, nothing of a third company; the platform admin pages through every company or one. And the
 * application's connections plan every execution with its values (plan_cache_mode=force_custom_plan),
 * which is why HotPathPlansTest checks custom plans only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompanyPagesTest {
    private TestSystem t;
    private String admin;
    private String companyA;
    private String companyB;
    private String companyC;
    private String ownerOfAB;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        admin = t.adminToken();
        companyA = t.createCompany(admin, "Pages A");
        companyB = t.createCompany(admin, "Pages B");
        companyC = t.createCompany(admin, "Pages C");
        String ownerEmail = TestSystem.email("owner-ab");
        t.expect(201, t.createUser(admin, ownerEmail, List.of("owner"), List.of(companyA, companyB)));
        ownerOfAB = t.login(ownerEmail, TestSystem.PASSWORD);
        t.expect(201, t.createUser(admin, TestSystem.email("owner-c"), List.of("owner"), List.of(companyC)));
        for (int i = 0; i < 3; i++) {
            t.expect(201, t.createUser(admin, TestSystem.email("a"), List.of("receptionist"), List.of(companyA)));
            t.expect(201, t.createUser(admin, TestSystem.email("b"), List.of("receptionist"), List.of(companyB)));
            t.expect(201, t.createUser(admin, TestSystem.email("ab"), List.of("receptionist"), List.of(companyA, companyB)));
            t.expect(201, t.createUser(admin, TestSystem.email("c"), List.of("receptionist"), List.of(companyC)));
            for (String company : List.of(companyA, companyB, companyC)) {
                String agent = (String) t.expect(201, t.call("POST", "/api/v1/agents", admin, Map.of("companyId", company,
                        "name", "Agent " + i))).body().get("id");
                t.expect(201, t.call("POST", "/api/v1/properties", admin, Map.of("companyId", company, "referenceCode",
                        "R-" + UUID.randomUUID(), "title", "Page property", "type", "apartment", "price", "450000.00", "agentId", agent)));
            }
        }
    }

    @AfterAll
    void stop() {
        t.close();
    }

    @Test
    void aCallerOfTwoCompaniesPagesThroughBothInIdOrder() throws Exception {
        assertEquals(ids("SELECT DISTINCT user_id FROM user_companies WHERE company_id IN (?::uuid, ?::uuid)", companyA, companyB),
                pages("/api/v1/users", ownerOfAB, 2), "users of A or B, each once");
        assertEquals(ids("SELECT id FROM agents WHERE company_id IN (?::uuid, ?::uuid)", companyA, companyB),
                pages("/api/v1/agents", ownerOfAB, 2));
        assertEquals(ids("SELECT id FROM properties WHERE company_id IN (?::uuid, ?::uuid)", companyA, companyB),
                pages("/api/v1/properties", ownerOfAB, 4));
        assertEquals(ids("SELECT id FROM agents WHERE company_id = ?::uuid", companyB),
                pages("/api/v1/agents?companyId=" + companyB, ownerOfAB, 1));
    }

    @Test
    void thePlatformAdminPagesThroughEveryCompanyOrOne() throws Exception {
        assertEquals(ids("SELECT DISTINCT user_id FROM user_companies"), pages("/api/v1/users", admin, 5));
        assertEquals(ids("SELECT id FROM agents"), pages("/api/v1/agents", admin, 4));
        assertEquals(ids("SELECT id FROM properties WHERE company_id = ?::uuid", companyC),
                pages("/api/v1/properties?companyId=" + companyC, admin, 2));
    }

    @Test
    void theApplicationPlansEveryExecutionWithItsValues() throws Exception {
        // Every function's configuration (core's application.yml, which each function reads).
        for (String function : List.of(ApiFunction.FUNCTION, Topology.AUDIT, Topology.COMMISSION, Topology.NOTIFICATION)) {
            try (ApplicationContext ctx = FunctionContexts.configure(ApplicationContext.builder(), function).deduceEnvironment(false).build()) {
                ctx.getEnvironment().start();
                assertEquals("-c plan_cache_mode=force_custom_plan",
                        ctx.getEnvironment().getProperty("datasources.default.data-source-properties.options", String.class).orElse(null), function);
            }
        }
        // A connection of the running API: the setting holds, and a statement run past pgjdbc's prepareThreshold (5, a
        // server-side prepared statement from then on) has had a custom plan at every execution.
        @SuppressWarnings("unchecked")
        TransactionOperations<Connection> tx = t.system.apiContext().getBean(TransactionOperations.class);
        UserRepository users = t.system.apiContext().getBean(UserRepository.class);
        tx.executeRead(status -> {
            Connection c = status.getConnection();
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SHOW plan_cache_mode")) {
                    rs.next();
                    assertEquals("force_custom_plan", rs.getString(1));
                }
                for (int i = 0; i < 12; i++) {
                    users.list(RowScope.company(UUID.fromString(companyA)), new UUID(0, 0), 2);
                }
                try (ResultSet rs = s.executeQuery("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                        + "WHERE statement LIKE '%FROM user_companies s WHERE s.company_id = c.id%'")) {
                    assertTrue(rs.next(), "the list statement is prepared on the server after 12 executions");
                    assertEquals(0, rs.getLong(1), "generic plans");
                    assertTrue(rs.getLong(2) >= 5, "custom plans: " + rs.getLong(2));
                }
            }
            return null;
        });
    }

    /**
     * User creation's transaction may run on the plans the server keeps (GenericPlans: every statement
     * of it is checked as a generic plan by HotPathPlansTest); any other write, and the connection once
     * the transaction is over, plan every execution.
     */
    @Test
    void userCreationRunsOnKeptPlansAndOtherWritesPlanEveryExecution() {
        EventfulTransaction writes = t.system.apiContext().getBean(EventfulTransaction.class);
        assertEquals("force_generic_plan", writes.executeOnKeptPlans(c -> new EventfulTransaction.Result<>(planCacheMode(c), List.of())).value());
        assertEquals("force_custom_plan", writes.execute(c -> new EventfulTransaction.Result<>(planCacheMode(c), List.of())).value());
        @SuppressWarnings("unchecked")
        TransactionOperations<Connection> tx = t.system.apiContext().getBean(TransactionOperations.class);
        for (int i = 0; i < 3; i++) {
            assertEquals("force_custom_plan", tx.executeRead(status -> planCacheMode(status.getConnection())));
        }
    }

    private static String planCacheMode(Connection c) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW plan_cache_mode")) {
            rs.next();
            return rs.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every item of a list, page by page of {@code limit}: each page's ids in increasing order, and after the previous page's. */
    @SuppressWarnings("unchecked")
    private Set<String> pages(String path, String token, int limit) throws Exception {
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            String url = path + (path.contains("?") ? "&" : "?") + "limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            TestSystem.Response page = t.expect(200, t.call("GET", url, token, null));
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.body().get("items");
            assertTrue(items.size() <= limit, path + " page of " + items.size());
            items.forEach(item -> all.add((String) item.get("id")));
            cursor = (String) page.body().get("nextCursor");
        } while (cursor != null);
        // PostgreSQL orders uuids as unsigned bytes: the order of their canonical lower-case text (not UUID.compareTo's).
        assertEquals(new ArrayList<>(new TreeSet<>(all)), all, path + ": in id order, each once");
        return new TreeSet<>(all);
    }

    private Set<String> ids(String sql, Object... args) throws Exception {
        Set<String> out = new TreeSet<>();
        t.column(sql, args).forEach(id -> out.add(String.valueOf(id)));
        return out;
    }
}
