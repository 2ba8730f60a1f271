package realty.infracheck;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import realty.core.event.EventType;
import realty.core.topology.WorkQueue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** events/ holds what Lambda really sends, as the Lambda Java runtime deserializes it. */
class SampleEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<WorkQueue> workQueues() {
        return CodeContract.workQueues().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workQueues")
    void eachWorkQueueHasARabbitMqSampleEventTheRuntimeCanDeserialize(WorkQueue queue) throws IOException {
        RabbitMQEvent event = read("rmq-" + queue.name() + ".json", RabbitMQEvent.class);

        assertEquals("aws:rmq", event.getEventSource());
        assertTrue(event.getEventSourceArn().startsWith("arn:aws:mq:"), event.getEventSourceArn());
        assertEquals(List.of(queue.name() + "::/"), List.copyOf(event.getRmqMessagesByQueue().keySet()),
                "messages are keyed <queue>::<virtual host>");
        List<RabbitMQEvent.RabbitMessage> messages = event.getRmqMessagesByQueue().get(queue.name() + "::/");
        assertFalse(messages.isEmpty());

        for (RabbitMQEvent.RabbitMessage message : messages) {
            byte[] body = Base64.getDecoder().decode(message.getData());
            JsonNode envelope = JSON.readTree(body);
            RabbitMQEvent.BasicProperties properties = message.getBasicProperties();
            assertNotNull(properties);

            UUID id = UUID.fromString(envelope.path("id").asText());
            assertEquals(id.toString(), properties.getMessageId(), "message_id = event id");
            assertEquals(envelope.path("type").asText(), properties.getType(), "AMQP type = event type");
            assertEquals(envelope.path("correlationId").asText(), properties.getCorrelationId());
            assertEquals("application/json", properties.getContentType());
            assertEquals(2, properties.getDeliveryMode(), "persistent");
            assertEquals(body.length, properties.getBodySize());
            for (String field : List.of("version", "occurredAt", "companyId", "actor", "aggregate", "payload")) {
                assertTrue(envelope.has(field), "envelope lacks " + field);
            }
            assertTrue(envelope.has("causationId"), "envelope lacks causationId");

            EventType type = EventType.fromName(properties.getType()).orElseThrow(
                    () -> new AssertionError("unknown event type " + properties.getType()));
            assertEquals(type.version(), envelope.path("version").asInt());
            assertEquals(type.priority(), properties.getPriority(), "AMQP priority of " + type);
            if (!queue.bindings().isEmpty()) {
                assertTrue(queue.receives(type), queue.name() + " is not bound to " + type);
            }
            if (properties.getHeaders() != null) {
                properties.getHeaders().forEach((name, value) -> assertTrue(value instanceof Number
                        || value instanceof Map<?, ?> m && m.get("bytes") instanceof List<?>,
                        "header " + name + " must be a number or Lambda's {\"bytes\": [...]} form, is " + value));
            }
        }
    }

    @Test
    void theCommissionSampleRequestsSplitsForListedSales() throws IOException {
        RabbitMQEvent event = read("rmq-commission_events.json", RabbitMQEvent.class);
        for (RabbitMQEvent.RabbitMessage message : event.getRmqMessagesByQueue().get("commission_events::/")) {
            JsonNode envelope = JSON.readTree(Base64.getDecoder().decode(message.getData()));
            assertEquals("commission.split.requested", envelope.path("type").asText());
            assertTrue(envelope.path("payload").path("saleIds").isArray() && !envelope.path("payload").path("saleIds").isEmpty());
        }
    }

    @Test
    void thePostUsersSampleIsAnHttpApiPayloadTwoRequest() throws IOException {
        APIGatewayV2HTTPEvent event = read("api-post-users.json", APIGatewayV2HTTPEvent.class);
        assertEquals("2.0", event.getVersion());
        assertEquals("/api/v1/users", event.getRawPath());
        assertEquals("POST", event.getRequestContext().getHttp().getMethod());
        assertEquals(event.getRawPath(), event.getRequestContext().getHttp().getPath());
        assertEquals("$default", event.getRequestContext().getStage());
        assertNotNull(event.getRequestContext().getRequestId());
        assertNotNull(event.getRequestContext().getHttp().getSourceIp());
        assertNotNull(event.getRequestContext().getHttp().getUserAgent());
        assertEquals("application/json", event.getHeaders().get("content-type"));
        assertTrue(event.getHeaders().get("authorization").startsWith("Bearer "));
        JsonNode body = JSON.readTree(event.getBody());
        for (String field : List.of("email", "name", "password", "profiles", "companyIds")) {
            assertTrue(body.has(field), "POST /users body lacks " + field);
        }
    }

    @Test
    void theHealthSampleIsAnAnonymousGet() throws IOException {
        APIGatewayV2HTTPEvent event = read("api-health.json", APIGatewayV2HTTPEvent.class);
        assertEquals("GET", event.getRequestContext().getHttp().getMethod());
        assertEquals("/health", event.getRawPath());
        assertFalse(event.getHeaders().containsKey("authorization"));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({"relay, realty.api.outbox.OutboxRelayFunction",
            "housekeeping, realty.notification.HousekeepingFunction"})
    void eachScheduleSendsWhatItsHandlerAccepts(String schedule, String handler) {
        Object terraformInput = Maps.get(HandlerWiringTest.schedule(schedule).body(), "target", "input");
        Object samInput = Sam.functions().values().stream()
                .filter(p -> handler.equals(p.get("Handler")))
                .flatMap(p -> Maps.map(p, "Events").values().stream())
                .map(e -> Maps.get(Maps.map(e), "Properties", "Input"))
                .findFirst().orElseThrow();
        for (Object input : List.of(terraformInput, samInput)) {
            assertTrue(input instanceof String, "schedule input must be a JSON string, is " + input);
            ScheduledEvent event = LambdaEventSerializers.serializerFor(ScheduledEvent.class,
                    SampleEventsTest.class.getClassLoader()).fromJson((String) input);
            assertEquals("realty.scheduler", event.getSource());
        }
    }

    private static <T> T read(String name, Class<T> type) throws IOException {
        Path file = Repository.events().resolve(name);
        assertTrue(Files.isRegularFile(file), "missing sample event " + file);
        try (InputStream in = Files.newInputStream(file)) {
            T event = LambdaEventSerializers.serializerFor(type, SampleEventsTest.class.getClassLoader()).fromJson(in);
            assertNotNull(event, name);
            return event;
        }
    }
}
