package realty.api.outbox;

import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.api.ApiFunction;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.UserCreated;
import realty.core.outbox.EventRef;
import realty.core.topology.TopologyDeclarer;
import realty.localinfra.FunctionTestProperties;

import javax.sql.DataSource;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A write and its events on the real database and broker: they commit or roll back together. */
@MicronautTest(environments = ApiFunction.FUNCTION, startApplication = false, transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventfulTransactionTest implements TestPropertyProvider {
    @Inject
    ApplicationContext ctx;
    @Inject
    DataSource dataSource;
    @Inject
    EventfulTransaction transaction;

    private Map<String, String> properties;

    /** The pool itself: the injected DataSource hands out connections only inside a transaction. */
    private DataSource db() {
        return ctx.getBean(DataSourceResolver.class).resolve(dataSource);
    }

    @Override
    public Map<String, String> getProperties() {
        if (properties == null) {
            Map<String, String> p = new HashMap<>(FunctionTestProperties.withNewVirtualHost("eventful-transaction"));
            p.put("micronaut.security.token.jwt.signatures.secret.generator.secret", "test-signing-key-of-at-least-thirty-two-bytes!");
            p.put("realty.platform-admin.username", "admin");
            p.put("realty.platform-admin.password", "admin-password-for-tests");
            p.put("realty.security.bcrypt-cost", "4");
            p.put("realty.outbox.inline-audit-fallback", "false");
            properties = p;
        }
        return properties;
    }

    @BeforeAll
    void declare() throws Exception {
        ctx.getBean(TopologyDeclarer.class).declare();
    }

    /** A write that creates a company and emits one event about it. */
    private static EventfulTransaction.Work<UUID> createCompany(UUID id, EventEnvelope event) {
        return c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO companies (id, name) VALUES (?, 'Eventful')")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            return new EventfulTransaction.Result<>(id, List.of(event));
        };
    }

    private static EventEnvelope eventAbout(UUID company) {
        return EventEnvelope.create(EventType.USER_CREATED, company, Actor.system("test"), "req-eventful", null,
                new AggregateRef("user", UUID.randomUUID().toString()), new UserCreated(UUID.randomUUID(), "eventful@example.com", null, null, List.of(), List.of()));
    }

    private String single(String sql, UUID id) throws Exception {
        try (Connection c = db().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private boolean companyExists(UUID id) throws Exception {
        return single("SELECT id FROM companies WHERE id = ?", id) != null;
    }

    @Test
    void aWriteAndItsEventCommitTogetherAndTheEventIsPublished() throws Exception {
        UUID company = UUID.randomUUID();
        EventEnvelope event = eventAbout(company);

        EventfulTransaction.Committed<UUID> done = transaction.execute(createCompany(company, event));

        assertEquals(List.of(new EventRef(event.id(), event.type(), "PUBLISHED")), done.events());
        assertEquals(true, companyExists(company));
        assertEquals("PUBLISHED", single("SELECT status FROM outbox_events WHERE id = ?", event.id()));
    }

    @Test
    void aWriteThatFailsAfterItsInsertLeavesNeitherTheRowNorTheEvent() throws Exception {
        UUID company = UUID.randomUUID();
        EventEnvelope event = eventAbout(company);
        EventfulTransaction.Work<UUID> failing = c -> {
            createCompany(company, event).run(c);
            throw new IllegalStateException("the write fails after its insert");
        };

        assertThrows(IllegalStateException.class, () -> transaction.execute(failing));

        assertEquals(false, companyExists(company));
        assertEquals(null, single("SELECT status FROM outbox_events WHERE id = ?", event.id()));
    }

    @Test
    void anEventTheOutboxCannotTakeRollsTheWriteBack() throws Exception {
        UUID company = UUID.randomUUID();
        EventEnvelope good = eventAbout(company);
        EventEnvelope twice = good; // the same event id twice: the outbox's primary key refuses the second

        EventfulTransaction.Work<UUID> write = c -> {
            createCompany(company, good).run(c);
            return new EventfulTransaction.Result<>(company, List.of(good, twice));
        };

        assertThrows(RuntimeException.class, () -> transaction.execute(write));

        assertEquals(false, companyExists(company));
        assertEquals(null, single("SELECT status FROM outbox_events WHERE id = ?", good.id()));
    }

    @Test
    void withTheBrokerDownTheWriteSucceedsAndItsEventStaysPendingForTheRelay() throws Exception {
        Map<String, Object> props = new HashMap<>(getProperties());
        props.put("flyway.datasources.default.enabled", "false");
        try (ServerSocket s = new ServerSocket(0)) {
            props.put("realty.broker.uri", "amqp://127.0.0.1:" + s.getLocalPort()); // closed again: nothing listens
        }
        UUID company = UUID.randomUUID();
        EventEnvelope event = eventAbout(company);
        try (ApplicationContext noBroker = ApplicationContext.builder(ApiFunction.FUNCTION).properties(props).start()) {
            EventfulTransaction.Committed<UUID> done = noBroker.getBean(EventfulTransaction.class)
                    .execute(createCompany(company, event));

            assertEquals(List.of(new EventRef(event.id(), event.type(), "PENDING")), done.events());
        }
        assertEquals(true, companyExists(company));
        assertEquals("PENDING", single("SELECT status FROM outbox_events WHERE id = ?", event.id()));
    }
}
