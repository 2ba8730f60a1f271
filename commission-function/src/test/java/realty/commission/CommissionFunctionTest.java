package realty.commission;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventCodec;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.CommissionSplitRequested;
import realty.core.topology.Topology;
import realty.core.topology.TopologyDeclarer;
import realty.localinfra.FunctionTestProperties;
import realty.localinfra.RabbitMQEvents;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The commission function's Lambda handler on the real database and broker. */
@MicronautTest(environments = Topology.COMMISSION, transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommissionFunctionTest implements TestPropertyProvider {
    @Inject
    ApplicationContext ctx;
    @Inject
    DataSource dataSource;
    @Inject
    EventCodec codec;

    private CommissionFunction function;
    private final UUID company = UUID.randomUUID();
    private final UUID agent = UUID.randomUUID();
    private final UUID prospector = UUID.randomUUID();

    /** The pool itself: the injected DataSource hands out connections only inside a transaction. */
    private DataSource db() {
        return ctx.getBean(DataSourceResolver.class).resolve(dataSource);
    }

    @Override
    public Map<String, String> getProperties() {
        return FunctionTestProperties.withNewVirtualHost("commission-function");
    }

    @BeforeAll
    void start() throws Exception {
        ctx.getBean(TopologyDeclarer.class).declare();
        function = new CommissionFunction(ctx);
        // A company whose prospectors get 30 % of a commission, and an agent whose rule is 6 % of a sale.
        sql("INSERT INTO companies (id, name, prospector_share_percent) VALUES (?, 'Commission Agency', 30)", company);
        sql("INSERT INTO agents (id, company_id, name) VALUES (?, ?, 'Agent')", agent, company);
        sql("INSERT INTO agents (id, company_id, name) VALUES (?, ?, 'Prospector')", prospector, company);
        sql("INSERT INTO commission_rules (id, company_id, agent_id, transaction_type, structure, percentage, valid_from, created_by) "
                + "VALUES (?, ?, ?, 'sale', 'percentage', 6, DATE '2020-01-01', 'test')", UUID.randomUUID(), company, agent);
    }

    private void sql(String sql, Object... args) throws Exception {
        try (Connection c = db().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    /** A completed sale (of a property of its own: one completed sale per property) waiting for its split. */
    private UUID pendingSale(String price) throws Exception {
        return pendingSale(company, agent, prospector, price);
    }

    private UUID pendingSale(UUID company, UUID agent, UUID prospector, String price) throws Exception {
        UUID property = UUID.randomUUID();
        sql("INSERT INTO properties (id, company_id, reference_code, title, type, price, agent_id, prospector_id, created_by) "
                + "VALUES (?, ?, ?, 'House', 'house', ?, ?, ?, 'test')", property, company, "REF-" + property,
                new BigDecimal(price), agent, prospector);
        UUID sale = UUID.randomUUID();
        sql("INSERT INTO sales (id, company_id, property_id, sale_price, sale_date, buyer_name, agent_id, prospector_id, "
                + "commission_status, created_by) VALUES (?, ?, ?, ?, CURRENT_DATE, 'Buyer', ?, ?, 'pending', 'test')",
                sale, company, property, new BigDecimal(price), agent, prospector);
        return sale;
    }

    private RabbitMQEvent splitRequested(List<UUID> sales) {
        return batch(request(company, "req-split", sales));
    }

    private static EventEnvelope request(UUID company, String correlationId, List<UUID> sales) {
        return EventEnvelope.create(EventType.COMMISSION_SPLIT_REQUESTED, company, Actor.system("test"), correlationId,
                null, new AggregateRef("sale-bulk", UUID.randomUUID().toString()),
                new CommissionSplitRequested(sales.size(), sales));
    }

    /** One Lambda invocation carrying these requests, in this order. */
    private RabbitMQEvent batch(EventEnvelope... requests) {
        return RabbitMQEvents.batch("commission_events", java.util.Arrays.stream(requests)
                .map(e -> new RabbitMQEvents.Message(e.id().toString(), e.type(), codec.encode(e))).toList());
    }

    /** role → amount of the sale's commission transactions. */
    private Map<String, BigDecimal> transactions(UUID sale) throws Exception {
        Map<String, BigDecimal> out = new TreeMap<>();
        try (Connection c = db().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT role, amount FROM commission_transactions WHERE sale_id = ?")) {
            ps.setObject(1, sale);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (out.put(rs.getString(1), rs.getBigDecimal(2)) != null) {
                        throw new AssertionError("two " + rs.getString(1) + " transactions for sale " + sale);
                    }
                }
            }
        }
        return out;
    }

    private String single(String sql, UUID arg) throws Exception {
        try (Connection c = db().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void aSplitRequestSplitsEachSaleBetweenAgentAndProspectorAndEmitsCommissionCalculated() throws Exception {
        UUID sale = pendingSale("500000.00");

        function.handleRequest(splitRequested(List.of(sale)), null);

        // 6 % of 500,000 = 30,000: the prospector's 30 % is 9,000, the agent keeps 21,000.
        assertEquals(Map.of("agent", new BigDecimal("21000.00"), "prospector", new BigDecimal("9000.00")), transactions(sale));
        assertEquals("calculated", single("SELECT commission_status FROM sales WHERE id = ?", sale));
        assertEquals("1", single("SELECT count(*) FROM outbox_events WHERE type = 'commission.calculated' "
                + "AND body::jsonb -> 'payload' ->> 'saleId' = ?::text", sale));
    }

    @Test
    void aRedeliveredSplitRequestWritesNothingTwice() throws Exception {
        UUID sale = pendingSale("200000.00");
        RabbitMQEvent request = splitRequested(List.of(sale));

        function.handleRequest(request, null);
        function.handleRequest(request, null);

        assertEquals(Map.of("agent", new BigDecimal("8400.00"), "prospector", new BigDecimal("3600.00")), transactions(sale));
        assertEquals("1", single("SELECT count(*) FROM outbox_events WHERE type = 'commission.calculated' "
                + "AND body::jsonb -> 'payload' ->> 'saleId' = ?::text", sale));
    }

    /**
     * A batch is split in one pass per company (CommissionHandler.handleBatch), and what each sale
     * records is still its own request's: the first request of the batch that names the sale.
     */
    @Test
    void aBatchOfRequestsSplitsEachSaleOnceForTheFirstRequestThatNamesIt() throws Exception {
        UUID otherCompany = UUID.randomUUID();
        UUID otherAgent = UUID.randomUUID();
        sql("INSERT INTO companies (id, name, prospector_share_percent) VALUES (?, 'Other Agency', 30)", otherCompany);
        sql("INSERT INTO agents (id, company_id, name) VALUES (?, ?, 'Other agent')", otherAgent, otherCompany);
        sql("INSERT INTO commission_rules (id, company_id, agent_id, transaction_type, structure, percentage, valid_from, created_by) "
                + "VALUES (?, ?, ?, 'sale', 'percentage', 5, DATE '2020-01-01', 'test')", UUID.randomUUID(), otherCompany, otherAgent);
        UUID s1 = pendingSale("100000.00");
        UUID s2 = pendingSale("200000.00");
        UUID s3 = pendingSale("300000.00");
        UUID settled = pendingSale("400000.00");
        sql("UPDATE sales SET commission_status = 'calculated' WHERE id = ?", settled);
        UUID s4 = pendingSale(otherCompany, otherAgent, null, "100000.00");
        EventEnvelope a = request(company, "req-a", List.of(s1, s2));
        EventEnvelope b = request(company, "req-b", List.of(s2, s3, settled));
        EventEnvelope c = request(otherCompany, "req-c", List.of(s4));
        // A sale of another company named in this company's request is outside the request's scope.
        EventEnvelope d = request(company, "req-d", List.of(pendingSale(otherCompany, otherAgent, null, "100000.00")));

        function.handleRequest(batch(a, b, c, d), null);

        assertEquals(Map.of("agent", new BigDecimal("4200.00"), "prospector", new BigDecimal("1800.00")), transactions(s1));
        assertEquals(Map.of("agent", new BigDecimal("8400.00"), "prospector", new BigDecimal("3600.00")), transactions(s2));
        assertEquals(Map.of("agent", new BigDecimal("12600.00"), "prospector", new BigDecimal("5400.00")), transactions(s3));
        assertEquals(Map.of("agent", new BigDecimal("5000.00")), transactions(s4));
        assertEquals(Map.of(), transactions(settled));
        assertEquals(Map.of(s1, a, s2, a, s3, b, s4, c), Map.of(s1, askedBy(s1, a, b, c), s2, askedBy(s2, a, b, c),
                s3, askedBy(s3, a, b, c), s4, askedBy(s4, a, b, c)));
        assertEquals("0", single("SELECT count(*) FROM commission_transactions t JOIN sales s ON s.id = t.sale_id "
                + "WHERE t.calculated_by = 'event:' || ?::text", d.id()));
    }

    /**
     * Which request a sale's split answered: the one its transactions and its commission.calculated
     * (causation and correlation id) all name; fails if they disagree.
     */
    private EventEnvelope askedBy(UUID sale, EventEnvelope... requests) throws Exception {
        String calculatedBy = single("SELECT string_agg(DISTINCT calculated_by, ',') FROM commission_transactions WHERE sale_id = ?", sale);
        String event = single("SELECT string_agg((body::jsonb ->> 'causationId') || '/' || (body::jsonb ->> 'correlationId'), ',') "
                + "FROM outbox_events WHERE type = 'commission.calculated' AND body::jsonb -> 'payload' ->> 'saleId' = ?::text", sale);
        for (EventEnvelope r : requests) {
            if (("event:" + r.id()).equals(calculatedBy)) {
                assertEquals(r.id() + "/" + r.correlationId(), event, "the commission.calculated of sale " + sale);
                return r;
            }
        }
        throw new AssertionError("sale " + sale + " calculated by " + calculatedBy + ", event " + event);
    }
}
