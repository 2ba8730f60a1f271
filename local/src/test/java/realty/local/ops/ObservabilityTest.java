package realty.local.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;
import realty.core.observability.EmbeddedMetricFormat;
import realty.core.observability.EventLog;
import realty.core.observability.EventMetrics;
import realty.core.observability.FlatJsonEncoder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Metrics and the per-event log line, for an event processed at once, one retried and then
 * processed, and one dead-lettered, end to end through the real broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityTest {
    private static final String LABELS = "{event_type=\"user.created\",queue=\"audit_events\"}";
    private final SwitchableAuditFunction.Faults faults = new SwitchableAuditFunction.Faults();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private OpsSystem t;
    private String admin;
    private String company;
    private UUID processed;
    private UUID retried;
    private UUID dead;

    @BeforeAll
    void start() throws Exception {
        Logger events = (Logger) LoggerFactory.getLogger(EventLog.LOGGER);
        lines.start();
        events.addAppender(lines);
        t = new OpsSystem(faults, Map.of("realty.retry.audit.max-attempts", 2, "realty.retry.audit.delays", List.of("200ms")));
        admin = t.adminToken();
        company = t.createCompany(admin, "Observed Agency");
        processed = t.createUser(admin, OpsSystem.email("plain"), company);
        retried = t.createUser(admin, OpsSystem.email("flaky"), company);
        dead = t.createUser(admin, OpsSystem.email("broken"), company);
        OpsSystem.eventually(Duration.ofSeconds(20), () -> "PROCESSED".equals(status(processed)) && "PROCESSED".equals(status(retried))
                && "DEAD".equals(status(dead)));
    }

    @AfterAll
    void stop() {
        ((Logger) LoggerFactory.getLogger(EventLog.LOGGER)).detachAppender(lines);
        if (t != null) {
            t.close();
        }
    }

    @Test
    void oneLogLinePerDeliveryCarriesTheRequestEventCompanyFunctionOutcomeAndDuration() throws Exception {
        assertEquals(List.of("processed"), outcomes(processed));
        assertEquals(List.of("retried", "processed"), outcomes(retried));
        assertEquals(List.of("retried", "dead-lettered"), outcomes(dead));

        String requestId = (String) t.call("GET", "/api/v1/events/" + dead, admin, null).body().get("correlationId");
        Map<String, Object> last = fields(linesOf(dead).get(1));
        assertEquals(requestId, last.get("requestId"));
        assertEquals(dead.toString(), last.get("eventId"));
        assertEquals("user.created", last.get("eventType"));
        assertEquals(company, last.get("companyId"));
        assertEquals("audit", last.get("function"));
        assertEquals("audit_events", last.get("queue"));
        assertEquals(2, last.get("attempt"));
        assertInstanceOf(Boolean.class, last.get("coldStart"));
        assertInstanceOf(Double.class, last.get("durationMs"));
        assertTrue(String.valueOf(last.get("failure")).contains("the audit store is unavailable"), last.toString());
    }

    @Test
    void theLogLineIsOneJsonObjectWithTopLevelFieldsAndNoSecrets() throws Exception {
        FlatJsonEncoder encoder = new FlatJsonEncoder();
        for (UUID id : List.of(processed, retried, dead)) {
            for (ILoggingEvent line : linesOf(id)) {
                String json = new String(encoder.encode(line), StandardCharsets.UTF_8);
                assertTrue(json.endsWith("}\n") && json.indexOf('\n') == json.length() - 1, json);
                @SuppressWarnings("unchecked")
                Map<String, Object> parsed = t.json.readValue(json, Map.class);
                assertEquals(id.toString(), parsed.get("eventId"), json);
                for (String field : List.of("timestamp", "level", "message", "requestId", "eventType", "companyId", "function",
                        "coldStart", "outcome", "durationMs")) {
                    assertTrue(parsed.containsKey(field), field + " missing in " + json);
                }
                assertFalse(json.toLowerCase().contains("a-long-password"), json);
            }
        }
    }

    @Test
    void thePrometheusEndpointCountsProcessedRetriedDeadLetteredPublishedAndTheOutbox() throws Exception {
        String scrape = OpsSystem.eventually(Duration.ofSeconds(10), () -> {
            try {
                String s = t.text("/metrics");
                return s.contains("realty_outbox_pending") ? s : null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(value(scrape, "realty_events_processed_total" + LABELS) >= 2, scrape);
        assertTrue(value(scrape, "realty_events_retried_total" + LABELS) >= 2, scrape);
        assertTrue(value(scrape, "realty_events_dead_lettered_total" + LABELS) >= 1, scrape);
        assertTrue(value(scrape, "realty_events_published_total{event_type=\"user.created\"}") >= 3, scrape);
        assertTrue(scrape.contains("realty_events_handler_latency_seconds_count{event_type=\"user.created\",outcome=\"dead-lettered\","
                + "queue=\"audit_events\"}"), scrape);
        assertTrue(scrape.contains("realty_outbox_oldest_pending_age_seconds"), scrape);
    }

    @Test
    void theEventHistoryOfARowListsItsEventsWithEachConsumersProcessingTime() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> aggregate = (Map<String, Object>) t.call("GET", "/api/v1/events/" + retried, admin, null).body().get("aggregate");
        String path = "/api/v1/events?aggregateType=" + aggregate.get("type") + "&aggregateId=" + aggregate.get("id");

        OpsSystem.Response history = t.call("GET", path, admin, null);

        assertEquals(200, history.status(), history.body().toString());
        List<Map<String, Object>> items = history.list("items");
        assertEquals(1, items.size(), items.toString());
        assertEquals(retried.toString(), items.get(0).get("id"));
        assertEquals("PROCESSED", items.get(0).get("status"));
        @SuppressWarnings("unchecked")
        Map<String, Object> audit = ((List<Map<String, Object>>) items.get(0).get("consumers")).get(0);
        assertEquals("audit", audit.get("consumer"));
        assertEquals(2, ((Number) audit.get("attempts")).intValue());
        assertInstanceOf(Number.class, audit.get("durationMs"), audit.toString());

        String otherCompany = t.createCompany(admin, "Other Agency");
        String email = OpsSystem.email("owner");
        t.call("POST", "/api/v1/users", admin, Map.of("email", email, "name", "Other Owner", "password", "a-long-password",
                "profiles", List.of("owner"), "companyIds", List.of(otherCompany)));
        OpsSystem.Response outsider = t.call("GET", path, t.login(email, "a-long-password"), null);
        assertEquals(200, outsider.status());
        assertTrue(outsider.list("items").isEmpty(), "another company's events are out of scope: " + outsider.body());
        assertEquals(400, t.call("GET", "/api/v1/events?aggregateType=user", admin, null).status());
    }

    @Test
    void inLambdaTheMetricsAreWrittenAsCloudWatchEmbeddedMetricFormat() throws Exception {
        List<String> out = new ArrayList<>();
        EventMetrics metrics = new EventMetrics(new SimpleMeterRegistry(), new EmbeddedMetricFormat("Realty", "audit", out::add));
        metrics.handled("audit_events", "user.created", EventMetrics.Outcome.PROCESSED, 12_000);
        metrics.handled("audit_events", "user.created", EventMetrics.Outcome.PROCESSED, 8_000);
        metrics.handled("audit_events", "user.created", EventMetrics.Outcome.RETRIED, 3_000);
        metrics.handled("audit_events", "user.created", EventMetrics.Outcome.DEAD_LETTERED, 5_000);
        metrics.outboxBacklog(7, Duration.ofSeconds(42));

        metrics.flush();

        Map<String, Map<String, Object>> byMetric = new HashMap<>();
        Map<String, Object> processedLatency = null;
        for (String line : out) {
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = t.json.readValue(line, Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> directive = ((List<Map<String, Object>>) ((Map<String, Object>) parsed.get("_aws"))
                    .get("CloudWatchMetrics")).get(0);
            assertEquals("Realty", directive.get("Namespace"));
            assertNotNull(((Map<?, ?>) parsed.get("_aws")).get("Timestamp"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> metricsOfLine = (List<Map<String, Object>>) directive.get("Metrics");
            for (Map<String, Object> m : metricsOfLine) {
                assertTrue(parsed.containsKey(m.get("Name")), "every named metric has its value: " + line);
                byMetric.put((String) m.get("Name"), parsed);
                if (EventMetrics.LATENCY.equals(m.get("Name")) && "processed".equals(parsed.get("outcome"))) {
                    processedLatency = parsed;
                }
            }
        }
        assertEquals(2.0, ((Number) byMetric.get(EventMetrics.PROCESSED).get(EventMetrics.PROCESSED)).doubleValue());
        assertEquals("audit_events", byMetric.get(EventMetrics.PROCESSED).get("queue"));
        assertEquals("user.created", byMetric.get(EventMetrics.PROCESSED).get("event_type"));
        assertEquals(1.0, ((Number) byMetric.get(EventMetrics.RETRIED).get(EventMetrics.RETRIED)).doubleValue());
        assertEquals(1.0, ((Number) byMetric.get(EventMetrics.DEAD_LETTERED).get(EventMetrics.DEAD_LETTERED)).doubleValue());
        assertNotNull(processedLatency, out.toString());
        assertEquals(List.of(12.0, 8.0), processedLatency.get(EventMetrics.LATENCY),
                "latencies as samples, so CloudWatch can compute percentiles");
        assertEquals(7.0, ((Number) byMetric.get(EventMetrics.OUTBOX_PENDING).get(EventMetrics.OUTBOX_PENDING)).doubleValue());
        assertEquals(42.0, ((Number) byMetric.get(EventMetrics.OUTBOX_OLDEST_AGE).get(EventMetrics.OUTBOX_OLDEST_AGE)).doubleValue());

        out.clear();
        metrics.flush();
        assertTrue(out.stream().noneMatch(l -> l.contains(EventMetrics.PROCESSED)), "counters are written as deltas: " + out);
    }

    // --- helpers -------------------------------------------------------------------------------

    private String status(UUID event) {
        try {
            return (String) t.call("GET", "/api/v1/events/" + event, admin, null).body().get("status");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<ILoggingEvent> linesOf(UUID event) {
        synchronized (lines) {
            // user.created also reaches the notification function; these assertions are about the audit function's lines
            return new ArrayList<>(lines.list).stream().filter(e -> event.toString().equals(fields(e).get("eventId"))
                    && "audit".equals(fields(e).get("function"))).toList();
        }
    }

    private List<Object> outcomes(UUID event) {
        return linesOf(event).stream().map(e -> fields(e).get("outcome")).toList();
    }

    private static Map<String, Object> fields(ILoggingEvent e) {
        Map<String, Object> out = new HashMap<>();
        if (e.getKeyValuePairs() != null) {
            for (KeyValuePair kv : e.getKeyValuePairs()) {
                out.put(kv.key, kv.value);
            }
        }
        return out;
    }

    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series);
    }
}
