package realty.audit;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventCodec;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.UserCreated;
import realty.localinfra.FunctionTestProperties;
import realty.localinfra.RabbitMQEvents;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The constructor Lambda calls (no arguments): the function builds its own context, in the
 * {@code audit} environment, and handles a batch. Configuration comes from system properties here
 * where Lambda gives environment variables.
 */
class AuditFunctionLambdaEntryTest {
    private final Map<String, String> properties = FunctionTestProperties.withNewVirtualHost("audit-lambda-entry");

    @AfterEach
    void clear() {
        properties.keySet().forEach(System::clearProperty);
    }

    @Test
    void theLambdaEntryPointStartsItsOwnAuditContextAndWritesTheAuditRow() throws Exception {
        properties.forEach(System::setProperty);
        String user = UUID.randomUUID().toString();
        EventEnvelope e = EventEnvelope.create(EventType.USER_CREATED, UUID.randomUUID(), Actor.system("test"), "req-" + user,
                null, new AggregateRef("user", user), new UserCreated(UUID.fromString(user), user + "@example.com", null, null, List.of(), List.of()));

        try (AuditFunction function = new AuditFunction()) {
            assertEquals(true, function.getApplicationContext().getEnvironment().getActiveNames().contains("audit"));
            EventCodec codec = function.getApplicationContext().getBean(EventCodec.class);
            RabbitMQEvent event = RabbitMQEvents.batch("audit_events", List.of(new RabbitMQEvents.Message(e.id().toString(), e.type(), codec.encode(e))));

            function.handleRequest(event, null);
        }

        try (Connection c = DriverManager.getConnection(properties.get("datasources.default.url"),
                properties.get("datasources.default.username"), properties.get("datasources.default.password"));
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit_logs WHERE event_id = ?")) {
            ps.setObject(1, e.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getLong(1));
            }
        }
    }
}
