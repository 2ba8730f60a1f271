package realty.notification;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventCodec;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.UserCreated;
import realty.core.topology.Topology;
import realty.core.topology.TopologyDeclarer;
import realty.localinfra.FunctionTestProperties;
import realty.localinfra.RabbitMQEvents;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The notification function's Lambda handler on the real database and broker, sending to a real SMTP server. */
@MicronautTest(environments = Topology.NOTIFICATION, transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationFunctionTest implements TestPropertyProvider {
    @Inject
    ApplicationContext ctx;
    @Inject
    DataSource dataSource;
    @Inject
    EventCodec codec;

    private GreenMail smtp;
    private NotificationFunction function;
    private final UUID company = UUID.randomUUID();

    /** The pool itself: the injected DataSource hands out connections only inside a transaction. */
    private DataSource db() {
        return ctx.getBean(DataSourceResolver.class).resolve(dataSource);
    }

    @Override
    public Map<String, String> getProperties() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        smtp.start();
        Map<String, String> p = new HashMap<>(FunctionTestProperties.withNewVirtualHost("notification-function"));
        p.put("realty.mail.host", "127.0.0.1");
        p.put("realty.mail.port", String.valueOf(smtp.getSmtp().getPort()));
        p.put("realty.mail.tls", "NONE");
        return p;
    }

    @BeforeAll
    void start() throws Exception {
        ctx.getBean(TopologyDeclarer.class).declare();
        function = new NotificationFunction(ctx);
        try (Connection c = db().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO companies (id, name) VALUES (?, 'Welcome Agency')")) {
            ps.setObject(1, company);
            ps.executeUpdate();
        }
    }

    @AfterAll
    void stop() {
        smtp.stop();
    }

    /** A user.created for someone not (yet) in the database: the welcome mail goes to the event's address. */
    private RabbitMQEvent userCreated(String email) {
        String user = UUID.randomUUID().toString();
        EventEnvelope e = EventEnvelope.create(EventType.USER_CREATED, company, Actor.system("test"), "req-" + user, null,
                new AggregateRef("user", user), new UserCreated(UUID.fromString(user), email, "New User", "en", List.of(), List.of()));
        return RabbitMQEvents.batch("notification_events", List.of(new RabbitMQEvents.Message(e.id().toString(), e.type(), codec.encode(e))));
    }

    private List<MimeMessage> mailTo(String email) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().contains(email));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void aNewUserGetsOneWelcomeMailEvenWhenTheEventIsRedelivered() throws Exception {
        String email = "welcome-" + UUID.randomUUID() + "@example.com";
        RabbitMQEvent event = userCreated(email);

        function.handleRequest(event, null);
        function.handleRequest(event, null);

        List<MimeMessage> mail = mailTo(email);
        assertEquals(1, mail.size());
        assertTrue(mail.get(0).getSubject() != null && !mail.get(0).getSubject().isBlank());
    }
}
