package realty.local.sale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static realty.local.sale.SaleTestSystem.money;

/**
 * Single sales, commission rules, settings and the state rules of commission transactions, end to
 * end through the API on a real PostgreSQL and RabbitMQ (audit-function consuming for real).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SaleFlowTest {
    private SaleTestSystem t;
    private UUID company;
    private UUID otherCompany;
    private String owner;
    private String manager;
    private String legal;
    private String receptionist;
    private SaleTestSystem.User financial;
    private SaleTestSystem.User agentUser;
    private UUID seller;      // agent record of agentUser, 6 % rule
    private UUID prospector;  // agent record without a user

    @BeforeAll
    void start() throws Exception {
        t = new SaleTestSystem(Map.of(), Map.of());
        String admin = t.adminToken();
        company = t.company(admin, "Sales Agency");
        otherCompany = t.company(admin, "Other Agency");
        owner = t.user(admin, company, "owner").token();
        manager = t.user(owner, company, "manager").token();
        legal = t.user(owner, company, "legal").token();
        receptionist = t.user(owner, company, "receptionist").token();
        financial = t.user(owner, company, "financial");
        agentUser = t.user(owner, company, "agent");
        seller = t.agent(company, agentUser.id());
        prospector = t.agent(company, null);
        t.expect(201, rule(financial.token(), seller, "percentage", "6"));
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void aSingleSaleAnswers201WithItsSplitWritesTwoTransactionsMarksThePropertySoldAndIsAudited() throws Exception {
        UUID property = t.property(company, seller, prospector);

        SaleTestSystem.Response r = t.expect(201, sell(owner, property, "500000.00"));

        Map<String, Object> commission = r.map("commission");
        assertEquals("calculated", commission.get("status"));
        assertEquals(0, money("30000.00").compareTo(money(commission.get("total"))));
        Map<String, BigDecimal> byRole = new HashMap<>();
        for (Map<String, Object> part : (List<Map<String, Object>>) commission.get("transactions")) {
            byRole.put((String) part.get("role"), money(part.get("amount")));
        }
        assertEquals(0, money("21000.00").compareTo(byRole.get("agent")), byRole.toString());
        assertEquals(0, money("9000.00").compareTo(byRole.get("prospector")), byRole.toString());

        UUID sale = UUID.fromString(r.string("id"));
        assertEquals(2, t.count("SELECT count(*) FROM commission_transactions WHERE sale_id = ?", sale));
        assertEquals(0, money("30000.00").compareTo((BigDecimal) t.value(
                "SELECT sum(amount) FROM commission_transactions WHERE sale_id = ?", sale)));
        assertEquals("6.0000", t.value("SELECT rule_snapshot->>'percentage' FROM commission_transactions WHERE sale_id = ? "
                + "AND role = 'agent'", sale), "the transaction keeps the rule as applied");
        assertEquals("sold", t.value("SELECT status FROM properties WHERE id = ?", property));

        UUID completed = r.event("sale.completed");
        UUID calculated = r.event("commission.calculated");
        SaleTestSystem.eventually(Duration.ofSeconds(10), () -> t.count(
                "SELECT count(*) FROM audit_logs WHERE event_id IN (?, ?) AND resource_id = ?", completed, calculated, sale.toString()) == 2);
        assertEquals(completed.toString(), t.value("SELECT body->>'causationId' FROM outbox_events WHERE id = ?", calculated));
    }

    @Test
    void aSaleWithoutAnApplicableRuleIsRecordedAndItsEventNamesTheFinancialUsers() throws Exception {
        UUID ruleless = t.agent(company, null);
        UUID property = t.property(company, ruleless, prospector);

        SaleTestSystem.Response r = t.expect(201, sell(manager, property, "400000.00"));

        assertEquals("no_applicable_rule", r.map("commission").get("status"));
        UUID sale = UUID.fromString(r.string("id"));
        assertEquals(0, t.count("SELECT count(*) FROM commission_transactions WHERE sale_id = ?", sale));
        assertEquals("sold", t.value("SELECT status FROM properties WHERE id = ?", property));
        UUID calculated = r.event("commission.calculated");
        assertEquals("no_applicable_rule", t.value("SELECT body->'payload'->>'status' FROM outbox_events WHERE id = ?", calculated));
        assertEquals(1, t.count("SELECT count(*) FROM outbox_events WHERE id = ? AND body::jsonb->'payload'->'recipientUserIds' @> jsonb_build_array(?::text)",
                calculated, financial.id().toString()), "financial users are the recipients");
    }

    @Test
    void aRuleThatPaysMoreThanHalfThePriceIsRefusedWith422AndNothingIsWritten() throws Exception {
        UUID greedy = t.agent(company, null);
        t.expect(201, rule(financial.token(), greedy, "percentage", "60"));
        UUID property = t.property(company, greedy, null);

        SaleTestSystem.Response r = sell(owner, property, "100000.00");

        assertEquals(422, r.status(), r.toString());
        assertTrue(String.valueOf(r.body().get("detail")).contains("misconfigured"), r.toString());
        assertEquals(0, t.count("SELECT count(*) FROM sales WHERE property_id = ?", property));
        assertEquals("available", t.value("SELECT status FROM properties WHERE id = ?", property));
    }

    @Test
    void theProspectorShareComesFromTheCompanySettingsWhichOnlyTheOwnerChanges() throws Exception {
        String admin = t.adminToken();
        UUID agency = t.company(admin, "Forty Percent Agency");
        String agencyOwner = t.user(admin, agency, "owner").token();
        String agencyManager = t.user(agencyOwner, agency, "manager").token();
        UUID agent = t.agent(agency, null);
        UUID scout = t.agent(agency, null);
        t.expect(201, rule(agencyOwner, agent, "percentage", "6"));
        String path = "/api/v1/companies/" + agency + "/settings";

        assertEquals(0, money("30").compareTo(money(t.expect(200, t.call("GET", path, agencyManager, null)).body()
                .get("prospectorSharePercent"))), "default 30 %");
        assertEquals(403, t.call("PUT", path, agencyManager, Map.of("prospectorSharePercent", 40)).status());
        assertEquals(404, t.call("GET", path, owner, null).status(), "another company's settings do not exist for you");
        assertEquals(400, t.call("PUT", path, agencyOwner, Map.of("prospectorSharePercent", 100.5)).status());
        t.expect(200, t.call("PUT", path, agencyOwner, Map.of("prospectorSharePercent", 40)));

        SaleTestSystem.Response r = t.expect(201, sell(agencyOwner, t.property(agency, agent, scout), "500000.00"));
        Map<String, BigDecimal> byRole = new HashMap<>();
        for (Map<String, Object> part : (List<Map<String, Object>>) r.map("commission").get("transactions")) {
            byRole.put((String) part.get("role"), money(part.get("amount")));
        }
        assertEquals(0, money("18000.00").compareTo(byRole.get("agent")));
        assertEquals(0, money("12000.00").compareTo(byRole.get("prospector")));
    }

    @Test
    void aSoldPropertyCannotBeSoldAgainAndOnlySellersMaySell() throws Exception {
        UUID property = t.property(company, seller, prospector);
        assertEquals(403, sell(receptionist, property, "500000.00").status());
        assertEquals(403, sell(financial.token(), property, "500000.00").status());
        t.expect(201, sell(agentUser.token(), property, "500000.00"));

        SaleTestSystem.Response again = sell(owner, property, "510000.00");

        assertEquals(409, again.status(), again.toString());
        assertEquals(1, t.count("SELECT count(*) FROM sales WHERE property_id = ?", property));
        UUID notMine = t.property(company, prospector, null);
        assertEquals(404, sell(agentUser.token(), notMine, "500000.00").status(), "an agent sells only their own properties");
        assertEquals(400, t.call("POST", "/api/v1/sales", owner, Map.of("propertyId", property.toString(),
                "salePrice", -1, "saleDate", "2024-06-01", "buyerName", "X")).status());
    }

    @Test
    void payAndCancelFollowTheStateRulesAndAnswer4xxOtherwise() throws Exception {
        UUID sale = UUID.fromString(t.expect(201, sell(owner, t.property(company, seller, prospector), "500000.00")).string("id"));
        UUID agentTx = transaction(sale, "agent");
        UUID prospectorTx = transaction(sale, "prospector");

        assertEquals(403, t.call("POST", "/api/v1/commissions/" + agentTx + "/pay", manager, null).status(), "manager reads, never pays");
        assertEquals(403, t.call("POST", "/api/v1/commissions/" + agentTx + "/pay", receptionist, null).status());
        SaleTestSystem.Response paid = t.expect(200, t.call("POST", "/api/v1/commissions/" + agentTx + "/pay", financial.token(), null));
        assertEquals("paid", paid.string("paymentStatus"));
        assertNotNull(paid.body().get("paidAt"));
        UUID paidEvent = paid.event("commission.paid");
        SaleTestSystem.eventually(Duration.ofSeconds(10), () -> t.count(
                "SELECT count(*) FROM audit_logs WHERE event_id = ? AND resource_type = 'commission_transaction'", paidEvent) == 1);

        assertEquals(409, t.call("POST", "/api/v1/commissions/" + agentTx + "/pay", financial.token(), null).status());
        SaleTestSystem.Response cancelPaid = t.call("POST", "/api/v1/commissions/" + agentTx + "/cancel", owner, null);
        assertEquals(409, cancelPaid.status());
        assertTrue(String.valueOf(cancelPaid.body().get("detail")).contains("paid commission cannot be cancelled"));

        SaleTestSystem.Response cancelled = t.expect(200, t.call("POST", "/api/v1/commissions/" + prospectorTx + "/cancel",
                financial.token(), null));
        assertEquals("cancelled", cancelled.string("paymentStatus"));
        assertNull(cancelled.body().get("paidAt"));
        assertEquals(409, t.call("POST", "/api/v1/commissions/" + prospectorTx + "/pay", financial.token(), null).status());
        assertEquals("paid", t.value("SELECT payment_status FROM commission_transactions WHERE id = ?", agentTx));

        String otherOwner = t.user(t.adminToken(), otherCompany, "owner").token();
        assertEquals(404, t.call("POST", "/api/v1/commissions/" + prospectorTx + "/cancel", otherOwner, null).status());
        assertEquals(404, t.call("GET", "/api/v1/commissions/" + agentTx, otherOwner, null).status());
    }

    @Test
    void theDatabaseItselfRefusesChangedAmountsDeletesAndIllegalPaymentStates() throws Exception {
        UUID sale = UUID.fromString(t.expect(201, sell(owner, t.property(company, seller, prospector), "500000.00")).string("id"));
        UUID agentTx = transaction(sale, "agent");
        UUID prospectorTx = transaction(sale, "prospector");
        t.expect(200, t.call("POST", "/api/v1/commissions/" + agentTx + "/pay", financial.token(), null));

        refused("UPDATE commission_transactions SET amount = amount + 1 WHERE id = '" + prospectorTx + "'");
        refused("UPDATE commission_transactions SET base_amount = 1 WHERE id = '" + prospectorTx + "'");
        refused("UPDATE commission_transactions SET percentage_applied = 50 WHERE id = '" + prospectorTx + "'");
        refused("UPDATE commission_transactions SET role = 'agent', agent_id = '" + seller + "' WHERE id = '" + prospectorTx + "'");
        refused("DELETE FROM commission_transactions WHERE id = '" + prospectorTx + "'");
        refused("TRUNCATE commission_transactions CASCADE");
        refused("UPDATE commission_transactions SET payment_status = 'cancelled', cancelled_at = now(), paid_at = NULL "
                + "WHERE id = '" + agentTx + "'");
        refused("UPDATE commission_transactions SET paid_at = now() - interval '1 day' WHERE id = '" + agentTx + "'");
        refused("UPDATE commission_transactions SET payment_status = 'paid' WHERE id = '" + prospectorTx + "'");
        refused("UPDATE commission_transactions SET paid_at = now() WHERE id = '" + prospectorTx + "'");
        refused("UPDATE sales SET sale_price = 1 WHERE id = '" + sale + "'");
        refused("DELETE FROM sales WHERE id = '" + sale + "'");

        assertEquals(2, t.count("SELECT count(*) FROM commission_transactions WHERE sale_id = ?", sale));
        assertEquals("paid", t.value("SELECT payment_status FROM commission_transactions WHERE id = ?", agentTx));
    }

    @Test
    void cancellingASaleFreesThePropertyAndCancelsPendingTransactionsWhilePaidOnesStayPaid() throws Exception {
        UUID property = t.property(company, seller, prospector);
        UUID sale = UUID.fromString(t.expect(201, sell(owner, property, "500000.00")).string("id"));
        UUID agentTx = transaction(sale, "agent");
        UUID prospectorTx = transaction(sale, "prospector");
        t.expect(200, t.call("POST", "/api/v1/commissions/" + agentTx + "/pay", financial.token(), null));
        assertEquals(403, t.call("POST", "/api/v1/sales/" + sale + "/cancel", financial.token(), null).status());

        SaleTestSystem.Response r = t.expect(200, t.call("POST", "/api/v1/sales/" + sale + "/cancel", manager, null));

        assertEquals("cancelled", r.string("status"));
        assertEquals("available", t.value("SELECT status FROM properties WHERE id = ?", property));
        assertEquals("cancelled", t.value("SELECT payment_status FROM commission_transactions WHERE id = ?", prospectorTx));
        assertEquals("paid", t.value("SELECT payment_status FROM commission_transactions WHERE id = ?", agentTx));
        UUID saleCancelled = r.event("sale.cancelled");
        UUID commissionCancelled = r.event("commission.cancelled");
        SaleTestSystem.eventually(Duration.ofSeconds(10), () -> t.count(
                "SELECT count(*) FROM audit_logs WHERE event_id IN (?, ?)", saleCancelled, commissionCancelled) == 2);
        assertEquals(409, t.call("POST", "/api/v1/sales/" + sale + "/cancel", manager, null).status());
        t.expect(201, sell(owner, property, "490000.00")); // available again
    }

    @Test
    void commissionRulesAreValidatedAndFollowThePermissionMatrix() throws Exception {
        SaleTestSystem.Response missing = t.call("POST", "/api/v1/commission-rules", financial.token(), Map.of(
                "agentId", seller.toString(), "transactionType", "sale", "structure", "percentage", "validFrom", "2020-01-01"));
        assertEquals(400, missing.status());
        assertTrue(((Map<?, ?>) missing.body().get("errors")).containsKey("percentage"), missing.toString());
        Map<String, Object> badRange = ruleBody(seller, "percentage", "5");
        badRange.put("minTransactionValue", 1000);
        badRange.put("maxTransactionValue", 10);
        assertEquals(400, t.call("POST", "/api/v1/commission-rules", financial.token(), badRange).status());
        assertEquals(400, t.call("POST", "/api/v1/commission-rules", financial.token(), ruleBody(seller, "percentage", "101")).status());

        UUID foreignAgent = t.agent(otherCompany, null);
        assertEquals(400, rule(financial.token(), foreignAgent, "percentage", "5").status(), "the agent must be of the rule's company");
        Map<String, Object> foreignCompany = ruleBody(seller, "percentage", "5");
        foreignCompany.put("companyId", otherCompany.toString());
        SaleTestSystem.Response violation = t.call("POST", "/api/v1/commission-rules", financial.token(), foreignCompany);
        assertEquals(403, violation.status());
        assertTrue(String.valueOf(violation.body().get("detail")).contains("multi-tenancy violation"));
        assertEquals(403, rule(receptionist, seller, "percentage", "5").status());
        assertEquals(403, rule(agentUser.token(), seller, "percentage", "5").status());

        UUID other = t.agent(company, null);
        UUID otherRule = UUID.fromString(t.expect(201, rule(manager, other, "fixed", "1000.00")).string("id"));
        SaleTestSystem.Response mine = t.expect(200, t.call("GET", "/api/v1/commission-rules?limit=500", agentUser.token(), null));
        assertTrue(mine.list("items").stream().allMatch(r -> seller.toString().equals(r.get("agentId"))), "an agent reads own rules");
        assertEquals(404, t.call("GET", "/api/v1/commission-rules/" + otherRule, agentUser.token(), null).status());

        SaleTestSystem.Response patched = t.expect(200, t.call("PATCH", "/api/v1/commission-rules/" + otherRule, financial.token(),
                Map.of("structure", "percentage", "percentage", 3)));
        assertEquals("percentage", patched.string("structure"));
        assertNull(patched.body().get("fixedAmount"));
        assertEquals(2, ((Number) patched.body().get("version")).intValue());
        assertEquals(403, t.call("PATCH", "/api/v1/commission-rules/" + otherRule, legal, Map.of("active", false)).status());
    }

    @Test
    void commissionsAreListedByFilterAndPagedWithACursor() throws Exception {
        UUID sale = UUID.fromString(t.expect(201, sell(owner, t.property(company, seller, prospector), "300000.00")).string("id"));

        SaleTestSystem.Response first = t.expect(200, t.call("GET", "/api/v1/commissions?saleId=" + sale + "&limit=1", legal, null));
        assertEquals(1, first.list("items").size());
        assertNotNull(first.body().get("nextCursor"));
        SaleTestSystem.Response second = t.expect(200, t.call("GET", "/api/v1/commissions?saleId=" + sale + "&limit=1&cursor="
                + first.body().get("nextCursor"), legal, null));
        assertEquals(1, second.list("items").size());
        assertNull(second.body().get("nextCursor"));
        assertTrue(!first.list("items").get(0).get("id").equals(second.list("items").get(0).get("id")));

        SaleTestSystem.Response own = t.expect(200, t.call("GET", "/api/v1/commissions?saleId=" + sale, agentUser.token(), null));
        assertEquals(List.of("agent"), own.list("items").stream().map(i -> i.get("role")).toList(), "an agent sees own commissions");
        assertEquals(400, t.call("GET", "/api/v1/commissions?limit=501", legal, null).status());
        assertEquals(400, t.call("GET", "/api/v1/commissions?status=lost", legal, null).status());
        assertEquals(403, t.call("GET", "/api/v1/commissions", receptionist, null).status());
    }

    // --- helpers -------------------------------------------------------------------------------

    @Test
    void theAgentsCommissionMailNamesTheSoldPropertyFromTheTypedEvent() throws Exception {
        UUID property = t.property(company, seller, prospector);
        String label = (String) t.value("SELECT title || ' (' || reference_code || ')' FROM properties WHERE id = ?", property);
        String email = (String) t.value("SELECT email FROM users WHERE id = ?", agentUser.id());

        t.expect(201, sell(owner, property, "400000.00"));

        // commission.calculated carries the sale id; the notifier names the sale by the property it sold.
        String body = SaleTestSystem.eventually(Duration.ofSeconds(20), () -> t.system.mailServer().messagesTo(email).stream()
                .map(SaleFlowTest::text).filter(b -> b.contains(label)).findFirst().orElse(null));
        assertNotNull(body);
    }

    private static String text(jakarta.mail.internet.MimeMessage m) {
        try {
            return String.valueOf(m.getContent());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private SaleTestSystem.Response sell(String token, UUID property, String price) throws Exception {
        return t.call("POST", "/api/v1/sales", token, Map.of("propertyId", property.toString(), "salePrice", new BigDecimal(price),
                "saleDate", "2024-06-01", "buyerName", "Maria Compradora"));
    }

    private Map<String, Object> ruleBody(UUID agent, String structure, String value) {
        Map<String, Object> body = new HashMap<>(Map.of("agentId", agent.toString(), "transactionType", "both",
                "structure", structure, "validFrom", "2020-01-01"));
        body.put(structure.equals("fixed") ? "fixedAmount" : "percentage", new BigDecimal(value));
        return body;
    }

    private SaleTestSystem.Response rule(String token, UUID agent, String structure, String value) throws Exception {
        return t.call("POST", "/api/v1/commission-rules", token, ruleBody(agent, structure, value));
    }

    private UUID transaction(UUID sale, String role) throws Exception {
        return (UUID) t.value("SELECT id FROM commission_transactions WHERE sale_id = ? AND role = ?", sale, role);
    }

    private void refused(String statement) throws Exception {
        try (Connection c = t.sql(); Statement s = c.createStatement()) {
            assertThrows(SQLException.class, () -> s.executeUpdate(statement), "the database must refuse: " + statement);
        }
    }
}
