package realty.core.event;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
import realty.core.event.payload.CommissionCalculated;
import realty.core.event.payload.PropertyAssignmentChanged;
import realty.core.event.payload.PropertyCreated;
import realty.core.event.payload.UnreadablePayload;
import realty.core.event.payload.UserCreated;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The envelope on the wire: what producers wrote before the payload records still decodes, and reads the same. */
class EventCodecTest {
    private static final String COMPANY = "7d3f8a2e-5b1c-4e9a-8f2d-1a6b3c9e4d70";
    private final JsonMapper json = io.micronaut.serde.ObjectMapper.getDefault();
    private final EventCodec codec = new EventCodec(json);

    /** As the map-built payloads were written to outbox_events (nulls written out). */
    private static String legacy(String type, String version, String payload) {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\"," + version
                + "\"occurredAt\":\"2025-03-14T12:30:45.123Z\",\"companyId\":\"" + COMPANY + "\","
                + "\"actor\":{\"userId\":\"2c9e7b41-8d3a-4f6e-b215-9a0c4d7e8f13\",\"profiles\":[\"owner\"]},"
                + "\"correlationId\":\"req-1\",\"aggregate\":{\"type\":\"property\",\"id\":\"x\"},\"payload\":" + payload + "}";
    }

    private EventEnvelope decode(String body) throws Exception {
        return codec.decode(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aStoredPropertyCreatedOfTheMapEraDecodesIntoItsRecord() throws Exception {
        EventEnvelope e = decode(legacy("property.created", "\"version\":1,", "{\"propertyId\":\"0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e\","
                + "\"referenceCode\":\"REF-1\",\"title\":\"Casa\",\"type\":\"house\",\"status\":\"available\",\"price\":null,"
                + "\"agentId\":null,\"prospectorId\":null,\"version\":1}"));

        PropertyCreated p = e.payloadAs(PropertyCreated.class).orElseThrow();
        assertEquals(UUID.fromString("0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"), p.propertyId());
        assertEquals("available", p.status());
        assertEquals(1, p.version());
    }

    @Test
    void anEnvelopeWithoutVersionIsVersionOne() throws Exception {
        EventEnvelope e = decode(legacy("user.created", "", "{\"userId\":\"f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b\","
                + "\"email\":\"ana@x.dev\",\"profiles\":[\"agent\"],\"companyIds\":[\"" + COMPANY + "\"]}"));

        assertEquals(1, e.version());
        assertEquals("ana@x.dev", e.payloadAs(UserCreated.class).orElseThrow().email());
    }

    @Test
    void anUnknownVersionIsUnreadableWithTheReason() throws Exception {
        EventEnvelope e = decode(legacy("user.created", "\"version\":2,", "{\"userId\":\"f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b\"}"));

        assertEquals("unsupported version 2 of user.created", assertInstanceOf(UnreadablePayload.class, e.payload()).reason());
        assertEquals("unsupported version 2 of user.created", e.payloadProblem(UserCreated.class));
    }

    @Test
    void anUnknownTypeIsUnreadableWithTheReason() throws Exception {
        EventEnvelope e = decode(legacy("property.exploded", "\"version\":1,", "{}"));
        assertEquals("unknown event type property.exploded", assertInstanceOf(UnreadablePayload.class, e.payload()).reason());
    }

    @Test
    void aPayloadWithoutARequiredFieldIsUnreadableNamingIt() throws Exception {
        EventEnvelope e = decode(legacy("user.created", "\"version\":1,", "{\"userId\":\"f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b\","
                + "\"name\":\"Ana\"}"));
        assertEquals("user.created v1 payload has no email, profiles, companyIds",
                assertInstanceOf(UnreadablePayload.class, e.payload()).reason());
    }

    @Test
    void aRequiredFieldMissingInANestedRecordIsNamedWithItsPath() throws Exception {
        EventEnvelope e = decode(legacy("commission.calculated", "\"version\":1,", "{\"saleId\":\"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\","
                + "\"status\":\"calculated\",\"transactions\":[{\"role\":\"agent\",\"amount\":\"1.00\"}],\"recipientUserIds\":[]}"));
        assertEquals("commission.calculated v1 payload has no transactions[0].id, transactions[0].agentId",
                assertInstanceOf(UnreadablePayload.class, e.payload()).reason());
    }

    @Test
    void aPayloadOfTheWrongShapeIsUnreadableAndEncodesBackAsItCame() throws Exception {
        String payload = "{\"userId\":\"not-a-uuid\",\"email\":\"a@x.dev\",\"profiles\":[],\"companyIds\":[]}";
        EventEnvelope e = decode(legacy("user.created", "\"version\":1,", payload));

        UnreadablePayload u = assertInstanceOf(UnreadablePayload.class, e.payload());
        assertTrue(u.reason().startsWith("user.created v1 payload does not decode as UserCreated: "), u.reason());
        assertTrue(new String(codec.encode(e), StandardCharsets.UTF_8).endsWith("\"payload\":" + payload + "}"));
    }

    @Test
    void aBodyThatIsNoEnvelopeIsStillRefusedAsSuch() {
        assertThrows(java.io.IOException.class, () -> decode("{\"type\":\"user.created\"}"));
        assertThrows(java.io.IOException.class, () -> decode("[1]"));
    }

    @Test
    void recordsEncodeWithTheFieldNamesAndNullsOfTheMapEra() throws Exception {
        UUID property = UUID.fromString("0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e");
        UUID agent = UUID.fromString("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
        assertEquals("{\"propertyId\":\"" + property + "\",\"agentId\":\"" + agent + "\",\"responsibility\":null,\"change\":\"removed\"}",
                json.writeValueAsString(new PropertyAssignmentChanged(property, agent, null, "removed")));
        assertEquals("{\"saleId\":\"" + property + "\",\"status\":\"no_applicable_rule\",\"salePrice\":\"10.00\",\"agentId\":\""
                        + agent + "\",\"prospectorId\":null,\"reason\":\"no rule\",\"recipientUserIds\":[]}",
                json.writeValueAsString(new CommissionCalculated(property, "no_applicable_rule", "10.00", agent, null, null, null,
                        null, "no rule", List.of())));
    }

    @Test
    void anEnvelopeRoundTripsThroughTheCodec() throws Exception {
        UUID user = UUID.randomUUID();
        EventEnvelope e = EventEnvelope.create(EventType.USER_CREATED, UUID.fromString(COMPANY), Actor.system("test"), "req", null,
                new AggregateRef("user", user.toString()), new UserCreated(user, "a@x.dev", null, "en", List.of("agent"), List.of()));

        EventEnvelope back = codec.decode(codec.encode(e));
        assertEquals(e, back);
    }

    @Test
    void createRefusesAPayloadOfAnotherType() {
        UUID user = UUID.randomUUID();
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> EventEnvelope.create(EventType.USER_UPDATED,
                null, Actor.system("test"), null, null, new AggregateRef("user", user.toString()),
                new UserCreated(user, "a@x.dev", null, null, List.of(), List.of())));
        assertFalse(ex.getMessage().isBlank());
    }
}
