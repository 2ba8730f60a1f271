package realty.local;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The typed event contract on the real broker and database: an event whose (type, version) has no
 * payload record, or whose payload does not fit its record, goes to each queue's DLQ at once with
 * the reason; an envelope as producers wrote it before versions were required is still processed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventContractDeadLetterTest {
    private TestSystem t;
    private String company;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of());
        company = t.createCompany(t.adminToken(), "Contract Agency");
    }

    @AfterAll
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    private String envelope(UUID id, String type, String version, String payload) {
        return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\"," + version + "\"occurredAt\":\"" + Instant.now() + "\","
                + "\"companyId\":\"" + company + "\",\"actor\":{\"system\":\"test\"},\"correlationId\":\"contract\","
                + "\"aggregate\":{\"type\":\"user\",\"id\":\"" + id + "\"},\"payload\":" + payload + "}";
    }

    /** Publishes a body to the events exchange as the outbox publisher does (persistent, confirmed). */
    private void publish(UUID id, String type, String body) throws Exception {
        try (Connection c = t.amqp(); Channel ch = c.createChannel()) {
            ch.confirmSelect();
            AMQP.BasicProperties p = new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                    .messageId(id.toString()).type(type).timestamp(new Date()).priority(5).correlationId("contract").build();
            ch.basicPublish("events", type, p, body.getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(10_000);
        }
    }

    private void assertDeadLetteredAtOnce(String queue, String function, UUID id, String reason) throws Exception {
        GetResponse dead = t.drainUntil(queue + ".dlq", id.toString(), Duration.ofSeconds(20));
        Map<String, Object> h = dead.getProps().getHeaders();
        assertEquals("permanent", h.get("x-failure-kind").toString());
        assertEquals(1, ((Number) h.get("x-attempts")).intValue(), "no retries burnt");
        assertEquals(queue, h.get("x-original-queue").toString());
        assertEquals(function, h.get("x-failed-function").toString());
        assertTrue(h.get("x-exception-message").toString().contains(reason), h.get("x-exception-message").toString());
        assertEquals(1, t.count("SELECT count(*) FROM consumer_outcomes WHERE event_id = ? AND consumer = ? AND status = 'DEAD' "
                + "AND last_error LIKE ?", id, function, "%" + reason + "%"));
    }

    @Test
    void aPayloadVersionWithoutARecordIsDeadLetteredByEveryConsumerWithTheReason() throws Exception {
        UUID id = UUID.randomUUID();
        publish(id, "user.created", envelope(id, "user.created", "\"version\":2,", "{\"userId\":\"" + id + "\"}"));

        assertDeadLetteredAtOnce("audit_events", "audit", id, "unsupported version 2 of user.created");
        assertDeadLetteredAtOnce("notification_events", "notification", id, "unsupported version 2 of user.created");
        assertEquals(0, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ?", id));
    }

    @Test
    void aPayloadMissingARequiredFieldIsDeadLetteredNamingTheField() throws Exception {
        UUID id = UUID.randomUUID();
        publish(id, "user.created", envelope(id, "user.created", "\"version\":1,",
                "{\"userId\":\"" + id + "\",\"name\":\"No Mail\",\"profiles\":[],\"companyIds\":[]}"));

        assertDeadLetteredAtOnce("audit_events", "audit", id, "user.created v1 payload has no email");
        assertDeadLetteredAtOnce("notification_events", "notification", id, "user.created v1 payload has no email");
    }

    @Test
    void aPayloadThatDoesNotFitItsRecordIsDeadLettered() throws Exception {
        UUID id = UUID.randomUUID();
        publish(id, "commission.split.requested", envelope(id, "commission.split.requested", "\"version\":1,",
                "{\"count\":1,\"saleIds\":[\"not-a-sale-id\"]}"));

        assertDeadLetteredAtOnce("commission_events", "commission", id,
                "commission.split.requested v1 payload does not decode as CommissionSplitRequested");
    }

    @Test
    void anEnvelopeWithoutVersionAsStoredBeforeIsReadAsVersionOneAndProcessed() throws Exception {
        UUID id = UUID.randomUUID();
        publish(id, "user.created", envelope(id, "user.created", "", "{\"userId\":\"" + id + "\",\"email\":\"old@x.dev\","
                + "\"name\":null,\"locale\":null,\"profiles\":[\"agent\"],\"companyIds\":[\"" + company + "\"]}"));

        TestSystem.eventually(Duration.ofSeconds(20), () -> t.count("SELECT count(*) FROM consumer_outcomes WHERE event_id = ? "
                + "AND consumer = 'audit' AND status = 'PROCESSED'", id) == 1);
        assertEquals(1, t.count("SELECT count(*) FROM audit_logs WHERE event_id = ? AND data->>'email' = 'old@x.dev'", id));
    }
}
