package realty.local.ops;

import io.micronaut.context.ApplicationContext;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.audit.AuditFunction;
import realty.core.consumer.EventHandler;
import realty.core.consumer.PermanentFailureException;
import realty.core.event.payload.PropertyCreated;
import realty.core.topology.Topology;
import realty.local.HookedHandler;
import realty.local.LocalMailServer;
import realty.local.TestSystem;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staff view of background work and the bulk-finished mail (issue 15, item 2), end to end with
 * every queue function consuming from the real broker: an audit function that dead-letters the
 * {@code property.created} of properties titled "FAIL…" stands for a consumer that fails on some items.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackgroundWorkTest {

    /** The real audit function, failing for good on the properties a test marks. */
    public static class FailingAudit extends AuditFunction {
        public FailingAudit(ApplicationContext ctx) {
            super(ctx);
        }

        @Override
        protected EventHandler handler() {
            return new HookedHandler(super.handler(), (event, context) -> {
                if (event.payloadAs(PropertyCreated.class).map(p -> p.title().startsWith("FAIL")).orElse(false)) {
                    throw new PermanentFailureException("the test refuses to audit " + event.aggregate().id());
                }
            });
        }
    }

    private TestSystem t;
    private String admin;
    private String company;
    private String owner;
    private String ownerEmail;
    private String manager;
    private String managerEmail;
    private String director;
    private String agent;
    private String otherOwner;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(Topology.AUDIT, FailingAudit::new), Map.of());
        admin = t.adminToken();
        company = t.createCompany(admin, "Background Agency");
        String other = t.createCompany(admin, "Unrelated Agency");
        ownerEmail = TestSystem.email("owner");
        owner = user(admin, ownerEmail, company, "owner");
        managerEmail = TestSystem.email("manager");
        manager = user(owner, managerEmail, company, "manager");
        director = user(owner, TestSystem.email("director"), company, "director");
        agent = user(owner, TestSystem.email("agent"), company, "agent");
        otherOwner = user(admin, TestSystem.email("owner"), other, "owner");
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void anImportWithFailingItemsEndsWithOneMailToItsStarterAndItsFailuresAreListedForStaffOnly() throws Exception {
        String requestId = "import-" + UUID.randomUUID();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String title : List.of("Casa boa", "FAIL Casa ruim", "Apartamento", "FAIL Terreno")) {
            rows.add(Map.of("referenceCode", "BG-" + UUID.randomUUID(), "title", title, "type", "house",
                    "price", new BigDecimal("350000.00")));
        }
        TestSystem.Response imported = t.expect(201, t.callWithRequestId(requestId, "POST", "/api/v1/properties/import", manager,
                rows));
        assertEquals(4, ((Number) imported.body().get("count")).intValue());

        // One mail, once every consumer is done: 2 of the 4 items failed, and where to look.
        MimeMessage mail = TestSystem.eventually(Duration.ofSeconds(30), () -> bulkMails(managerEmail).stream().findFirst().orElse(null));
        assertTrue(mail.getSubject().contains("2 de 4"), mail.getSubject());
        assertTrue(LocalMailServer.text(mail).contains("/api/v1/events?status=DEAD&correlationId=" + requestId), LocalMailServer.text(mail));
        assertEquals(1, t.count("SELECT count(*) FROM bulk_operations WHERE correlation_id = ? AND finished_at IS NOT NULL "
                + "AND failed_items = 2 AND failed_deliveries = 2 AND outstanding = 0", requestId));
        Thread.sleep(1500); // a second mail would come from a second finished event: there is none
        assertEquals(1, bulkMails(managerEmail).size());
        assertEquals(1, t.count("SELECT count(*) FROM outbox_events WHERE type = 'bulk_operation.finished' AND correlation_id = ?",
                requestId));

        // The link of the mail: the dead events of this import, with the consumer that failed and why.
        String link = "/api/v1/events?status=DEAD&correlationId=" + requestId;
        List<Map<String, Object>> dead = t.expect(200, t.call("GET", link, manager, null)).list("items");
        assertEquals(2, dead.size(), dead.toString());
        for (Map<String, Object> e : dead) {
            assertEquals("property.created", e.get("type"));
            assertEquals("DEAD", e.get("status"));
            Map<?, ?> audit = ((List<Map<?, ?>>) e.get("consumers")).stream().filter(c -> "audit".equals(c.get("consumer")))
                    .findFirst().orElseThrow();
            assertEquals("DEAD", audit.get("status"));
            assertTrue(String.valueOf(audit.get("lastError")).contains("the test refuses"), audit.toString());
        }
        // Pages of one, newest first; the owner and the director see them too.
        TestSystem.Response first = t.expect(200, t.call("GET", link + "&limit=1", owner, null));
        assertEquals(1, first.list("items").size());
        assertNotNull(first.string("nextCursor"));
        TestSystem.Response second = t.expect(200, t.call("GET", link + "&limit=1&cursor=" + first.string("nextCursor"), director, null));
        assertEquals(1, second.list("items").size());
        assertTrue(second.string("nextCursor") == null);
        assertEquals(dead.get(0).get("id"), first.list("items").get(0).get("id"));
        assertEquals(dead.get(1).get("id"), second.list("items").get(0).get("id"));

        // Filters: by type, and RETRYING (nothing is retrying here).
        assertEquals(2, t.expect(200, t.call("GET", "/api/v1/events?status=DEAD&type=property.created&correlationId=" + requestId,
                owner, null)).list("items").size());
        assertEquals(0, t.expect(200, t.call("GET", "/api/v1/events?status=DEAD&type=user.created&correlationId=" + requestId,
                owner, null)).list("items").size());
        assertEquals(0, t.expect(200, t.call("GET", "/api/v1/events?status=RETRYING&correlationId=" + requestId, owner, null))
                .list("items").size());
        // Not for agents; another company's owner sees none of it; a bad status is a 400.
        assertEquals(403, t.call("GET", link, agent, null).status());
        assertEquals(0, t.expect(200, t.call("GET", link, otherOwner, null)).list("items").size());
        assertEquals(400, t.call("GET", "/api/v1/events?status=LOST", owner, null).status());
    }

    @Test
    void aBulkSaleEndsWithOneMailOnceTheCommissionSplitsAndTheirEventsAreProcessed() throws Exception {
        UUID agentRecord = UUID.randomUUID();
        t.execute("INSERT INTO agents (id, company_id, name) VALUES (?, ?::uuid, ?)", agentRecord, company, "Bulk Agent");
        t.expect(201, t.call("POST", "/api/v1/commission-rules", owner, Map.of("agentId", agentRecord.toString(),
                "transactionType", "sale", "structure", "percentage", "percentage", 6, "validFrom", "2020-01-01")));
        List<Map<String, Object>> sales = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID property = (UUID) t.value("INSERT INTO properties (id, company_id, reference_code, title, type, price, agent_id, "
                    + "created_by) VALUES (gen_random_uuid(), ?::uuid, ?, 'Bulk house', 'house', 400000, ?, 'test') RETURNING id",
                    company, "BS-" + UUID.randomUUID(), agentRecord);
            sales.add(Map.of("propertyId", property.toString(), "salePrice", new BigDecimal("400000.00"), "saleDate", "2024-06-01",
                    "buyerName", "Comprador " + i));
        }
        String requestId = "bulk-sale-" + UUID.randomUUID();

        t.expect(202, t.callWithRequestId(requestId, "POST", "/api/v1/sales/bulk", owner, Map.of("sales", sales)));

        MimeMessage mail = TestSystem.eventually(Duration.ofSeconds(30), () -> bulkMails(ownerEmail).stream()
                .filter(m -> text(m).contains(requestId)).findFirst().orElse(null));
        assertTrue(mail.getSubject().contains("0 de 3"), mail.getSubject());
        // Finished only after the split: every sale has its transaction and its commission.calculated was consumed.
        assertEquals(3, t.count("SELECT count(*) FROM commission_transactions t JOIN sales s ON s.id = t.sale_id "
                + "WHERE s.company_id = ?::uuid AND s.buyer_name LIKE 'Comprador %'", company));
        assertEquals(0, t.count("SELECT count(*) FROM outbox_events e WHERE e.correlation_id = ? AND e.type <> 'bulk_operation.finished' "
                + "AND NOT EXISTS (SELECT 1 FROM consumer_outcomes o WHERE o.event_id = e.id AND o.status = 'PROCESSED')", requestId));
        Thread.sleep(1500);
        assertEquals(1, bulkMails(ownerEmail).stream().filter(m -> text(m).contains(requestId)).count());
    }

    @Test
    void aSecondBulkWithTheRequestIdOfOneStillRunningIsA409() throws Exception {
        String requestId = "reused-" + UUID.randomUUID();
        // A bulk of this company with this request id that is not finished yet.
        t.execute("INSERT INTO bulk_operations (id, company_id, kind, correlation_id, item_count, outstanding) "
                + "VALUES (gen_random_uuid(), ?::uuid, 'property_import', ?, 1, 1)", company, requestId);

        TestSystem.Response r = t.callWithRequestId(requestId, "POST", "/api/v1/properties/import", manager,
                List.of(Map.of("referenceCode", "RE-" + UUID.randomUUID(), "title", "Casa", "type", "house")));

        assertEquals(409, r.status(), r.toString());
        assertEquals(0, t.count("SELECT count(*) FROM outbox_events WHERE correlation_id = ?", requestId), "nothing was written");
    }

    private List<MimeMessage> bulkMails(String address) {
        return t.system.mailServer().messagesTo(address).stream().filter(m -> text(m).contains("correlationId=")).toList();
    }

    private static String text(MimeMessage m) {
        try {
            return LocalMailServer.text(m);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String user(String creator, String email, String companyId, String profile) throws Exception {
        t.expect(201, t.createUser(creator, email, List.of(profile), List.of(companyId)));
        return t.login(email, TestSystem.PASSWORD);
    }
}
