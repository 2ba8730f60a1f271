package realty.local.sale;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static realty.local.sale.SaleTestSystem.money;

/**
 * {@code GET /sales} (filters, newest-first cursor pages, the matrix's scopes) and
 * {@code POST /sales/{id}/recalculate} (issue 15), end to end on the real database and broker with
 * every queue function consuming and the mail captured by the local SMTP server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SaleListAndRecalculationTest {
    private SaleTestSystem t;
    private UUID company;
    private String owner;
    private String manager;
    private String receptionist;
    private String otherOwner;
    private SaleTestSystem.User financial;
    private SaleTestSystem.User agentUser;
    private String agentEmail;
    private UUID seller;      // agent record of agentUser, 6 % rule
    private UUID colleague;   // another agent, 5 % rule
    private UUID prospector;

    @BeforeAll
    void start() throws Exception {
        t = new SaleTestSystem(Map.of(), Map.of());
        String admin = t.adminToken();
        company = t.company(admin, "List Agency");
        UUID other = t.company(admin, "Elsewhere Agency");
        owner = t.user(admin, company, "owner").token();
        otherOwner = t.user(admin, other, "owner").token();
        manager = t.user(owner, company, "manager").token();
        receptionist = t.user(owner, company, "receptionist").token();
        financial = t.user(owner, company, "financial");
        agentEmail = SaleTestSystem.email("seller");
        t.expect(201, t.createUser(owner, agentEmail, List.of("agent"), List.of(company.toString())));
        agentUser = new SaleTestSystem.User((UUID) t.value("SELECT id FROM users WHERE email = ?", agentEmail),
                t.login(agentEmail, SaleTestSystem.PASSWORD));
        seller = t.agent(company, agentUser.id());
        colleague = t.agent(company, null);
        prospector = t.agent(company, null);
        t.expect(201, rule(financial.token(), seller, "6", "2020-01-01"));
        t.expect(201, rule(financial.token(), colleague, "5", "2020-01-01"));
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void theListPagesNewestSaleFirstFiltersAndShowsAgentsOnlyTheirOwnSales() throws Exception {
        // Five sales on distinct dates: three by the seller (one cancelled), two by the colleague.
        UUID s1 = sale(owner, t.property(company, seller, prospector), "2025-01-10");
        UUID s2 = sale(owner, t.property(company, colleague, null), "2025-02-10");
        UUID s3 = sale(owner, t.property(company, seller, null), "2025-03-10");
        UUID s4 = sale(owner, t.property(company, colleague, prospector), "2025-04-10");
        UUID s5 = sale(owner, t.property(company, seller, null), "2025-05-10");
        t.expect(200, t.call("POST", "/api/v1/sales/" + s3 + "/cancel", manager, null));
        String range = "from=2025-01-01&to=2025-12-31";

        // Pages of two, newest first, with the commission split of each.
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            SaleTestSystem.Response page = t.expect(200, t.call("GET", "/api/v1/sales?" + range + "&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), owner, null));
            List<Map<String, Object>> items = page.list("items");
            assertTrue(items.size() <= 2);
            items.forEach(i -> seen.add((String) i.get("id")));
            cursor = page.string("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(ids(s5, s4, s3, s2, s1), seen, "newest sale date first, every sale once");
        assertEquals(3, pages);
        Map<String, Object> first = t.expect(200, t.call("GET", "/api/v1/sales?" + range + "&limit=1", owner, null))
                .list("items").get(0);
        assertEquals("calculated", ((Map<?, ?>) first.get("commission")).get("status"));
        assertEquals(1, ((List<?>) ((Map<?, ?>) first.get("commission")).get("transactions")).size());

        assertEquals(ids(s3), ids(t.call("GET", "/api/v1/sales?" + range + "&status=cancelled", owner, null)));
        assertEquals(ids(s4, s2), ids(t.call("GET", "/api/v1/sales?" + range + "&agentId=" + colleague, manager, null)));
        assertEquals(ids(s4, s3, s2), ids(t.call("GET", "/api/v1/sales?from=2025-02-01&to=2025-04-30", financial.token(), null)));
        UUID property = (UUID) t.value("SELECT property_id FROM sales WHERE id = ?", s2);
        assertEquals(ids(s2), ids(t.call("GET", "/api/v1/sales?propertyId=" + property, owner, null)));

        // The agent sees the sales they made (their properties), not the colleague's.
        assertEquals(ids(s5, s3, s1), ids(t.call("GET", "/api/v1/sales?" + range, agentUser.token(), null)));
        // Another company sees none of them; a receptionist has no access to sales at all.
        assertEquals(List.of(), ids(t.call("GET", "/api/v1/sales?" + range, otherOwner, null)));
        assertEquals(403, t.call("GET", "/api/v1/sales", receptionist, null).status());
        assertEquals(400, t.call("GET", "/api/v1/sales?status=sold", owner, null).status());
        assertEquals(400, t.call("GET", "/api/v1/sales?from=2025-05-01&to=2025-01-01", owner, null).status());
        assertEquals(400, t.call("GET", "/api/v1/sales?cursor=not-a-cursor", owner, null).status());
    }

    @Test
    void aNoApplicableRuleSaleIsRecalculatedOnceItsAgentHasARuleAndTheAgentHearsOfIt() throws Exception {
        String email = SaleTestSystem.email("newcomer");
        t.expect(201, t.createUser(owner, email, List.of("agent"), List.of(company.toString())));
        UUID newcomerUser = (UUID) t.value("SELECT id FROM users WHERE email = ?", email);
        UUID newcomer = t.agent(company, newcomerUser);
        UUID property = t.property(company, newcomer, prospector);
        SaleTestSystem.Response sold = t.expect(201, sell(owner, property, "500000.00", "2024-06-01"));
        UUID sale = UUID.fromString(sold.string("id"));
        assertEquals("no_applicable_rule", sold.map("commission").get("status"));
        // The financial user is asked to "recalculate the split" (the mail this endpoint answers).
        String financialEmail = (String) t.value("SELECT email FROM users WHERE id = ?", financial.id());
        SaleTestSystem.eventually(Duration.ofSeconds(20), () -> mailsTo(financialEmail).stream()
                .anyMatch(m -> subject(m).contains("Venda sem regra") || subject(m).contains("without an applicable")));

        // The rule comes later, valid from before the sale date.
        t.expect(201, rule(financial.token(), newcomer, "6", "2024-01-01"));
        SaleTestSystem.Response r = t.expect(200, t.call("POST", "/api/v1/sales/" + sale + "/recalculate", financial.token(), null));

        Map<String, Object> commission = r.map("commission");
        assertEquals("calculated", commission.get("status"));
        assertEquals(0, money("30000.00").compareTo(money(commission.get("total"))));
        assertEquals(2, t.count("SELECT count(*) FROM commission_transactions WHERE sale_id = ? AND payment_status = 'pending'", sale));
        assertEquals("calculated", t.value("SELECT commission_status FROM sales WHERE id = ?", sale));
        UUID recalculated = r.event("commission.recalculated");
        UUID calculated = r.event("commission.calculated");
        assertEquals(recalculated.toString(), t.value("SELECT body->>'causationId' FROM outbox_events WHERE id = ?", calculated));
        assertEquals("no_applicable_rule", t.value("SELECT body->'payload'->>'previousStatus' FROM outbox_events WHERE id = ?",
                recalculated));
        // Audited with the user who asked for it; the agent is told of their commission by mail.
        SaleTestSystem.eventually(Duration.ofSeconds(20), () -> t.count("SELECT count(*) FROM audit_logs WHERE event_id = ? "
                + "AND actor_user_id = ? AND resource_type = 'sale' AND resource_id = ?", recalculated, financial.id().toString(),
                sale.toString()) == 1);
        SaleTestSystem.eventually(Duration.ofSeconds(20), () -> !mailsTo(email).isEmpty());
    }

    @Test
    void recalculatingCancelsThePendingTransactionsAndAppliesTheNewestRuleValidOnTheSaleDate() throws Exception {
        UUID agent = t.agent(company, null);
        t.expect(201, rule(financial.token(), agent, "6", "2020-01-01"));
        UUID sale = UUID.fromString(t.expect(201, sell(owner, t.property(company, agent, null), "100000.00", "2024-06-01"))
                .string("id"));
        UUID before = (UUID) t.value("SELECT id FROM commission_transactions WHERE sale_id = ?", sale);
        // A newer rule valid on the sale date, and one valid only after it (which must not apply).
        t.expect(201, rule(financial.token(), agent, "4", "2024-01-01"));
        t.expect(201, rule(financial.token(), agent, "9", "2024-07-01"));

        SaleTestSystem.Response r = t.expect(200, t.call("POST", "/api/v1/sales/" + sale + "/recalculate", manager, null));

        assertEquals(0, money("4000.00").compareTo(money(r.map("commission").get("total"))), r.toString());
        assertEquals("cancelled", t.value("SELECT payment_status FROM commission_transactions WHERE id = ?", before));
        assertEquals(1, t.count("SELECT count(*) FROM commission_transactions WHERE sale_id = ? AND payment_status = 'pending'"
                + " AND amount = 4000.00", sale));
        UUID cancelled = r.event("commission.cancelled");
        assertEquals(before.toString(), t.value("SELECT body->'payload'->>'transactionId' FROM outbox_events WHERE id = ?", cancelled));
        // The cancelled transaction stays listed; the summary is the live split.
        List<Map<String, Object>> parts = (List<Map<String, Object>>) r.map("commission").get("transactions");
        assertEquals(2, parts.size());
        assertEquals("pending", parts.get(0).get("paymentStatus"));
    }

    @Test
    void aPaidCommissionMakesRecalculationA409AndOnlyTheMatrixProfilesInTheCompanyMayAsk() throws Exception {
        UUID sale = UUID.fromString(t.expect(201, sell(owner, t.property(company, seller, null), "200000.00", "2024-06-01"))
                .string("id"));
        String path = "/api/v1/sales/" + sale + "/recalculate";
        assertEquals(403, t.call("POST", path, agentUser.token(), null).status(), "agents may not recalculate");
        assertEquals(403, t.call("POST", path, receptionist, null).status());
        assertEquals(404, t.call("POST", path, otherOwner, null).status(), "another company's sale is not there");
        assertEquals(404, t.call("POST", "/api/v1/sales/" + UUID.randomUUID() + "/recalculate", owner, null).status());

        UUID transaction = (UUID) t.value("SELECT id FROM commission_transactions WHERE sale_id = ?", sale);
        t.expect(200, t.call("POST", "/api/v1/commissions/" + transaction + "/pay", financial.token(), null));
        SaleTestSystem.Response refused = t.call("POST", path, owner, null);

        assertEquals(409, refused.status(), refused.toString());
        assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
        assertEquals("paid", t.value("SELECT payment_status FROM commission_transactions WHERE id = ?", transaction));
        assertEquals(1, t.count("SELECT count(*) FROM commission_transactions WHERE sale_id = ?", sale), "nothing written");
    }

    private UUID sale(String token, UUID property, String date) throws Exception {
        return UUID.fromString(t.expect(201, sell(token, property, "300000.00", date)).string("id"));
    }

    private SaleTestSystem.Response sell(String token, UUID property, String price, String date) throws Exception {
        return t.call("POST", "/api/v1/sales", token, Map.of("propertyId", property.toString(), "salePrice", new BigDecimal(price),
                "saleDate", date, "buyerName", "Maria Compradora"));
    }

    private SaleTestSystem.Response rule(String token, UUID agent, String percentage, String validFrom) throws Exception {
        Map<String, Object> body = new HashMap<>(Map.of("agentId", agent.toString(), "transactionType", "sale",
                "structure", "percentage", "percentage", new BigDecimal(percentage), "validFrom", validFrom));
        return t.call("POST", "/api/v1/commission-rules", token, body);
    }

    private static List<String> ids(UUID... ids) {
        return java.util.Arrays.stream(ids).map(UUID::toString).toList();
    }

    private List<String> ids(SaleTestSystem.Response r) {
        assertEquals(200, r.status(), r.toString());
        return r.list("items").stream().map(i -> (String) i.get("id")).toList();
    }

    private List<MimeMessage> mailsTo(String address) {
        return t.system.mailServer().messagesTo(address);
    }

    private static String subject(MimeMessage m) {
        try {
            return String.valueOf(m.getSubject());
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
