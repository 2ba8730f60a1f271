package realty.local.plans;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.api.sale.SaleRepository;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /sales} on 330,000 sales (300,000 in the caller's company): the page comes from the
 * {@code sales_company_date} index in its order, with the date range as index bounds, never from a
 * scan and sort of the company's sales. Runs the repository's own statement ({@link SaleRepository#LIST})
 * with EXPLAIN ANALYZE and prints each plan's timing (docs/api-additions.md quotes them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SalesListPlanTest {
    private static final int ROWS = 300_000;
    private PlanProbe db;
    private final UUID company = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();
    private final UUID agentUser = UUID.randomUUID();
    private UUID someAgent;

    @BeforeAll
    void fill() throws Exception {
        db = PlanProbe.create("saleplans");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO companies (id, name) VALUES ('" + company + "', 'Big'), ('" + other + "', 'Other')");
            s.execute("INSERT INTO users (id, email, name, password_hash) VALUES ('" + agentUser + "', 'a@x.test', 'A', 'x')");
            // 50 agents per company; the first agent of the big company is the agent user's record.
            s.execute("INSERT INTO agents (id, company_id, user_id, name) SELECT gen_random_uuid(), c.id, "
                    + "CASE WHEN c.id = '" + company + "' AND g = 1 THEN '" + agentUser + "'::uuid END, 'Agent ' || g "
                    + "FROM companies c, generate_series(1, 50) g");
            s.execute("INSERT INTO properties (id, company_id, reference_code, title, type, price, agent_id, created_by) "
                    + "SELECT gen_random_uuid(), ag.company_id, 'P-' || g, 'House', 'house', 500000, ag.ids[1 + g % 50], 'plan' "
                    + "FROM generate_series(1, " + (ROWS * 11 / 10) + ") g JOIN (SELECT company_id, array_agg(id ORDER BY name) AS ids "
                    + "FROM agents GROUP BY company_id) ag ON ag.company_id = CASE WHEN g % 11 = 0 THEN '" + other + "'::uuid "
                    + "ELSE '" + company + "'::uuid END");
            s.execute("INSERT INTO sales (id, company_id, property_id, sale_price, sale_date, buyer_name, agent_id, commission_status, created_by) "
                    + "SELECT gen_random_uuid(), p.company_id, p.id, 500000, date '2010-01-01' + (random() * 5000)::int, 'Buyer', p.agent_id, "
                    + "'calculated', 'plan' FROM properties p");
            s.execute("ANALYZE");
            try (ResultSet rs = s.executeQuery("SELECT agent_id FROM sales WHERE company_id = '" + company + "' LIMIT 1")) {
                rs.next();
                someAgent = rs.getObject(1, UUID.class);
            }
        }
    }

    @AfterAll
    void drop() {
        db.drop();
    }

    @Test
    void theFirstPageOfACompanyIsReadFromTheIndexInOrder() throws Exception {
        Plan plan = explain(Map.of());
        assertUsesTheIndexWithoutSortingTheCompany("first page", plan);
    }

    @Test
    void aDateRangeIsARangeOfTheIndex() throws Exception {
        Plan plan = explain(Map.of("from", "'2015-01-01'", "to", "'2015-03-31'"));
        assertUsesTheIndexWithoutSortingTheCompany("date range", plan);
        assertTrue(plan.text.contains("sale_date >="), "the range bounds the index scan: " + plan.text);
    }

    @Test
    void aLaterPageStartsAtItsCursorInTheIndex() throws Exception {
        Plan plan = explain(Map.of("beforeDate", "'2016-06-01'", "beforeId", "'" + UUID.randomUUID() + "'"));
        assertUsesTheIndexWithoutSortingTheCompany("cursor", plan);
    }

    @Test
    void filtersAndTheAgentsOwnScopeKeepTheIndexOrder() throws Exception {
        Plan byAgent = explain(Map.of("agentId", "'" + someAgent + "'"));
        assertUsesTheIndexWithoutSortingTheCompany("agent filter", byAgent);
        Plan own = explain(Map.of("ownOnly", "true", "ownUser", "'" + agentUser + "'", "viaAgent", "true", "viaUser", "true"));
        assertUsesTheIndexWithoutSortingTheCompany("an agent's own sales", own);
        // A status nobody has (no sale is cancelled here): its own index, not a scan and sort of the company.
        Plan cancelled = explain(Map.of("status", "'cancelled'"));
        System.out.println("sales list plan, cancelled (none exist): " + cancelled.millis + " ms");
        assertTrue(cancelled.text.contains("sales_company_status_date"), cancelled.text);
        assertFalse(cancelled.text.matches("(?s).*\"Node Type\": \"Seq Scan\"[^{}]*\"Relation Name\": \"sales\".*"), cancelled.text);
    }

    private record Plan(String text, double millis) {
    }

    private void assertUsesTheIndexWithoutSortingTheCompany(String what, Plan plan) {
        System.out.println("sales list plan, " + what + ": " + plan.millis + " ms");
        assertTrue(plan.text.contains("\"sales_company_date\"") || plan.text.contains("\"sales_company_status_date\""), what + ": " + plan.text);
        assertFalse(plan.text.matches("(?s).*\"Node Type\": \"Seq Scan\"[^{}]*\"Relation Name\": \"sales\".*"), what + ": " + plan.text);
        // The only sort is the merge of the companies' pages (at most limit rows per company).
        for (Matcher m = Pattern.compile("\"Node Type\": \"Sort\"[^{}]*?\"Actual Rows\": (\\d+)").matcher(plan.text); m.find(); ) {
            assertTrue(Integer.parseInt(m.group(1)) <= 51, what + " sorts " + m.group(1) + " rows: " + plan.text);
        }
    }

    /** The repository's statement with the caller's scope (one company) and these parameters as literals (a custom plan). */
    private Plan explain(Map<String, String> overrides) throws Exception {
        Map<String, String> values = new java.util.HashMap<>(Map.ofEntries(
                Map.entry("allCompanies", "false"), Map.entry("companies", "'{" + company + "}'"), Map.entry("ownOnly", "false"),
                Map.entry("ownUser", "'" + new UUID(0, 0) + "'"), Map.entry("viaAgent", "false"), Map.entry("viaProspector", "false"),
                Map.entry("viaUser", "false"), Map.entry("status", "NULL"), Map.entry("agentId", "NULL"),
                Map.entry("propertyId", "NULL"), Map.entry("from", "'0001-01-01'::date"), Map.entry("to", "'9999-12-31'::date"),
                Map.entry("beforeDate", "'9999-12-31'::date"), Map.entry("beforeId", "'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid"),
                Map.entry("limit", "51")));
        values.putAll(overrides);
        String text = db.explainText(PlanProbe.inline(SaleRepository.LIST, values), true);
        double millis = ((Number) PlanProbe.top(text).get("Execution Time")).doubleValue();
        return new Plan(text, millis);
    }
}
