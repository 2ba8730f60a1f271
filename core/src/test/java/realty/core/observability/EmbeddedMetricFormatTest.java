package realty.core.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every line the metrics flush writes is a valid embedded metric format document ({@link EmfSpec}). */
class EmbeddedMetricFormatTest {
    private static final ObjectMapper MAPPER = ObjectMapper.getDefault();
    private final List<String> out = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EventMetrics metrics = new EventMetrics(registry, new EmbeddedMetricFormat("Realty", "audit", out::add));

    private static void assertValid(List<String> lines) {
        assertFalse(lines.isEmpty(), "nothing was written");
        for (String line : lines) {
            assertEquals(List.of(), EmfSpec.violations(line), line);
        }
    }

    private static Map<String, Object> parse(String line) throws IOException {
        return MAPPER.readValue(line, Argument.mapOf(String.class, Object.class));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> definitions(Map<String, Object> doc) {
        Map<String, Object> directive = ((List<Map<String, Object>>) ((Map<String, Object>) doc.get("_aws")).get("CloudWatchMetrics")).get(0);
        return (List<Map<String, Object>>) directive.get("Metrics");
    }

    @Test
    void thePipelinesMetricsAreValidDocumentsWithTheirDimensionsAndUnits() throws Exception {
        metrics.published("user.created", 3);
        metrics.handled("audit_events", "user.created", EventMetrics.Outcome.PROCESSED, 12_000);
        metrics.handled("audit_events", "user.created", EventMetrics.Outcome.RETRIED, 3_000);
        metrics.handled("audit_events", "user.created", EventMetrics.Outcome.DEAD_LETTERED, 5_000);
        metrics.handled("audit_events", "user.created", EventMetrics.Outcome.DUPLICATE, 1_000);
        metrics.handled("audit_events", null, EventMetrics.Outcome.PROCESSED, 2_000);
        metrics.outboxBacklog(7, Duration.ofSeconds(42));

        metrics.flush();

        assertValid(out);
        Map<String, String> units = new java.util.HashMap<>();
        for (String line : out) {
            for (Map<String, Object> d : definitions(parse(line))) {
                units.put((String) d.get("Name"), (String) d.get("Unit"));
            }
        }
        assertEquals("Count", units.get(EventMetrics.PUBLISHED));
        assertEquals("Count", units.get(EventMetrics.PROCESSED));
        assertEquals("Count", units.get(EventMetrics.DUPLICATES));
        assertEquals("Milliseconds", units.get(EventMetrics.LATENCY));
        assertEquals("Count", units.get(EventMetrics.OUTBOX_PENDING));
        assertEquals("Seconds", units.get(EventMetrics.OUTBOX_OLDEST_AGE));
    }

    @Test
    void moreThanAHundredMetricsOfOneTagSetAreSplitIntoSeveralDocuments() throws Exception {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 250; i++) {
            String name = "realty.test.metric" + i;
            names.add(name);
            Counter.builder(name).tags("queue", "audit_events").register(registry).increment();
        }

        metrics.flush();

        assertValid(out);
        Set<String> written = new HashSet<>();
        for (String line : out) {
            for (Map<String, Object> d : definitions(parse(line))) {
                assertTrue(written.add((String) d.get("Name")), "written twice: " + d);
            }
        }
        assertEquals(names, written, "every metric is written once");
        assertEquals(3, out.size());
    }

    @Test
    void moreThanAHundredLatencySamplesAreSplitAndNoneIsLost() throws Exception {
        for (int i = 0; i < 250; i++) {
            metrics.handled("audit_events", "user.created", EventMetrics.Outcome.PROCESSED, 1_000L * (i + 1));
        }

        metrics.flush();

        assertValid(out);
        List<Double> samples = new ArrayList<>();
        double processed = 0;
        for (String line : out) {
            Map<String, Object> doc = parse(line);
            if (doc.get(EventMetrics.LATENCY) instanceof List<?> values) {
                values.forEach(v -> samples.add(((Number) v).doubleValue()));
            }
            if (doc.get(EventMetrics.PROCESSED) instanceof Number n) {
                processed += n.doubleValue();
            }
        }
        assertEquals(250, samples.size(), "every sample is written, at most 100 per document");
        assertEquals(1.0, samples.get(0));
        assertEquals(250.0, samples.get(249));
        assertEquals(250.0, processed, "the counter is written once, not once per document");
    }

    @Test
    void theCheckerRefusesDocumentsThatBreakTheSpecification() {
        String valid = "{\"_aws\":{\"Timestamp\":1700000000000,\"CloudWatchMetrics\":[{\"Namespace\":\"Realty\","
                + "\"Dimensions\":[[\"queue\"]],\"Metrics\":[{\"Name\":\"n\",\"Unit\":\"Count\"}]}]},\"queue\":\"q\",\"n\":1}";
        assertEquals(List.of(), EmfSpec.violations(valid));
        assertFalse(EmfSpec.violations(valid.replace("\"Count\"", "\"Counts\"")).isEmpty(), "unknown unit");
        assertFalse(EmfSpec.violations(valid.replace("\"queue\":\"q\",", "")).isEmpty(), "dimension without its member");
        assertFalse(EmfSpec.violations(valid.replace("\"queue\":\"q\"", "\"queue\":1")).isEmpty(), "dimension not a string");
        assertFalse(EmfSpec.violations(valid.replace(",\"n\":1}", "}")).isEmpty(), "metric without its value");
        assertFalse(EmfSpec.violations(valid.replace("\"n\":1", "\"n\":\"1\"")).isEmpty(), "metric value not a number");
        assertFalse(EmfSpec.violations(valid.replace("\"Timestamp\":1700000000000", "\"Timestamp\":\"now\"")).isEmpty(), "timestamp");
        assertFalse(EmfSpec.violations(valid.replace("\"n\":1}", "\"n\":1,\"n\":2}")).isEmpty(), "member twice");
        assertFalse(EmfSpec.violations(valid + "x").isEmpty(), "data after the object");
        assertFalse(EmfSpec.violations(valid.replace("\"Namespace\"", "\"Extra\":1,\"Namespace\"")).isEmpty(), "extra member");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append(i);
        }
        assertFalse(EmfSpec.violations(valid.replace("\"n\":1", "\"n\":" + many + "]")).isEmpty(), "101 values");
    }
}
