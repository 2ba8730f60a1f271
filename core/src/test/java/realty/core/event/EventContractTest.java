package realty.core.event;

import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import realty.core.audit.AuditRecorder;
import realty.core.event.payload.DeadLetterActioned;
import realty.core.event.payload.EventPayload;
import realty.core.event.payload.UnreadablePayload;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The event contract: every type of the catalogue has, for each payload version it can read, a
 * record, a published JSON Schema (docs/events/) that is current, and a sample that decodes into the
 * record and encodes back to the same JSON.
 *
 * <p>After changing a payload record, regenerate the schemas with
 * {@code mvn -o -q -pl core test -Dtest=EventContractTest -Devents.write-schemas=true} and commit them.
 */
class EventContractTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path SCHEMAS = ROOT.resolve("docs/events");
    private static final Path SAMPLES = Path.of("src/test/resources/events/samples");
    private static final boolean WRITE = Boolean.getBoolean("events.write-schemas");
    private static final String REGENERATE = "mvn -o -q -pl core test -Dtest=EventContractTest -Devents.write-schemas=true";

    private final JsonMapper json = io.micronaut.serde.ObjectMapper.getDefault();
    private final EventCodec codec = new EventCodec(json);

    static Stream<Arguments> payloadVersions() {
        return Arrays.stream(EventType.values()).flatMap(type -> type.payloadRecords().entrySet().stream()
                .map(v -> Arguments.of(type, v.getKey(), v.getValue())));
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("payloadVersions")
    void eachPayloadVersionIsASerdeableRecord(EventType type, int version, Class<? extends EventPayload> record) {
        assertTrue(record.isRecord(), record + " is a record");
        assertTrue(BeanIntrospector.SHARED.findIntrospection(record).isPresent(), record + " is @Serdeable (introspected at compile time)");
        assertTrue(type.payloadRecord(type.version()).isPresent(), type + " reads its current version");
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("payloadVersions")
    void eachPayloadVersionHasACurrentSchemaInDocs(EventType type, int version, Class<? extends EventPayload> record)
            throws IOException {
        String expected = EventSchemaGenerator.schema(type, version, record);
        Path file = SCHEMAS.resolve(EventSchemaGenerator.fileName(type, version));
        if (WRITE) {
            Files.createDirectories(SCHEMAS);
            Files.writeString(file, expected);
        }
        assertTrue(Files.exists(file), file + " is missing; generate it with: " + REGENERATE);
        assertEquals(expected, Files.readString(file), file + " is out of date with " + record.getName()
                + "; regenerate it with: " + REGENERATE);
        JsonNode parsed = json.readValue(expected, JsonNode.class);
        assertEquals("object", parsed.get("type").getStringValue());
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("payloadVersions")
    void eachPayloadVersionHasASampleThatDecodesIntoItsRecordAndEncodesBackTheSame(EventType type, int version,
                                                                                   Class<? extends EventPayload> record)
            throws IOException {
        Path file = SAMPLES.resolve(type.typeName() + ".v" + version + ".json");
        assertTrue(Files.exists(file), "no sample " + file);
        String sample = Files.readString(file).trim();
        EventPayload decoded = codec.payload(type.typeName(), version, json.readValue(sample, JsonNode.class));

        assertInstanceOf(record, decoded, () -> decoded instanceof UnreadablePayload u ? u.reason() : String.valueOf(decoded));
        assertEquals(sample, json.writeValueAsString(decoded), "re-encoding the sample gives the same JSON");
    }

    @Test
    void noOtherFileInDocsEventsThanTheSchemasOfTheCatalogue() throws IOException {
        Set<String> expected = new HashSet<>();
        payloadVersions().forEach(a -> expected.add(EventSchemaGenerator.fileName((EventType) a.get()[0], (int) a.get()[1])));
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            List<String> stale = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".schema.json") && !expected.contains(n)).toList();
            assertEquals(List.of(), stale, "schemas of no catalogued (type, version); delete them");
        }
    }

    @Test
    void everyPayloadRecordBelongsToTheCatalogue() {
        Set<Class<?>> catalogued = new HashSet<>();
        payloadVersions().forEach(a -> catalogued.add((Class<?>) a.get()[2]));
        for (Class<?> permitted : EventPayload.class.getPermittedSubclasses()) {
            if (permitted != UnreadablePayload.class && permitted != DeadLetterActioned.class) {
                assertTrue(catalogued.contains(permitted), permitted + " is a payload of no catalogued (type, version)");
            }
        }
    }

    /** Audit rows store payloads as they encode: a field named like a credential must never exist. */
    @Test
    void noPayloadFieldIsNamedLikeASecret() {
        List<String> offending = new ArrayList<>();
        for (Class<?> record : EventPayload.class.getPermittedSubclasses()) {
            fields(record, record.getSimpleName(), offending, new HashSet<>());
        }
        assertEquals(List.of(), offending);
    }

    private static void fields(Class<?> record, String path, List<String> offending, Set<Class<?>> seen) {
        if (!record.isRecord() || !seen.add(record)) {
            return;
        }
        for (RecordComponent c : record.getRecordComponents()) {
            if (AuditRecorder.SECRET_FIELD.matcher(c.getName()).matches()) {
                offending.add(path + "." + c.getName());
            }
            for (Class<?> nested : classesIn(c.getGenericType())) {
                fields(nested, path + "." + c.getName(), offending, seen);
            }
        }
    }

    private static List<Class<?>> classesIn(Type type) {
        List<Class<?>> out = new ArrayList<>();
        if (type instanceof Class<?> c) {
            out.add(c);
        } else if (type instanceof ParameterizedType p) {
            out.add((Class<?>) p.getRawType());
            for (Type arg : p.getActualTypeArguments()) {
                out.addAll(classesIn(arg));
            }
        }
        return out;
    }

    /** events/rmq-*.json are what Lambda sends the queue functions; their payloads must be readable too. */
    @Test
    void theLambdaSampleEventsCarryReadablePayloads() throws IOException {
        int envelopes = 0;
        try (Stream<Path> files = Files.list(ROOT.resolve("events"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("rmq-")).toList()) {
                JsonNode event = json.readValue(Files.readString(f), JsonNode.class);
                JsonNode byQueue = event.get("rmqMessagesByQueue");
                for (var queue : byQueue.entries()) {
                    for (JsonNode message : queue.getValue().values()) {
                        EventEnvelope e = codec.decode(Base64.getDecoder().decode(message.get("data").getStringValue()));
                        if (e.payload() instanceof UnreadablePayload u) {
                            fail(f + ": " + u.reason());
                        }
                        envelopes++;
                    }
                }
            }
        }
        assertFalse(envelopes == 0, "no sample envelopes found");
    }

}
