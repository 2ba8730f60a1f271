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
        EventEnvelope e = EventEnvelope.create(EventType.COMMISSION_SPLIT_REQUESTED, company, Actor.system("test"), "req-split",
                null, new AggregateRef("sale-bulk", UUID.randomUUID().toString()),
                new CommissionSplitRequested(sales.size(), sales));
        return RabbitMQEvents.batch("commission_events", List.of(new RabbitMQEvents.Message(e.id().toString(), e.type(), codec.encode(e))));
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
}
