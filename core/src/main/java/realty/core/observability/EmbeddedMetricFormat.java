package realty.core.observability;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Writes a Micrometer registry as CloudWatch embedded metric format: one JSON line per tag set
 * with a {@code _aws} block naming the metrics and their dimensions, which CloudWatch Logs turns
 * into metrics without any API call from the function
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * Counters are written as the increase since the previous flush; handler latencies as the
 * individual samples (at most 100 per line, the format's limit), so CloudWatch can compute
 * percentiles; gauges as their current value.
 */
public final class EmbeddedMetricFormat {
    private static final int MAX_VALUES = 100;
    private static final JsonFactory JSON = new JsonFactory();

    private final String namespace;
    private final String function;
    private final Consumer<String> sink;
    private final Map<Meter.Id, Double> lastCounts = new HashMap<>();
    private final Map<Meter.Id, List<Double>> samples = new HashMap<>();

    public EmbeddedMetricFormat(String namespace, String function, Consumer<String> sink) {
        this.namespace = namespace;
        this.function = function;
        this.sink = sink;
    }

    synchronized void sample(Meter.Id timer, double millis) {
        List<Double> values = samples.computeIfAbsent(timer, k -> new ArrayList<>());
        if (values.size() < MAX_VALUES) {
            values.add(millis);
        }
    }

    /** Writes every metric that changed since the last call. */
    public synchronized void flush(MeterRegistry registry) {
        long now = System.currentTimeMillis();
        // dimensions (sorted tags) → metric name → value
        Map<Map<String, String>, Map<String, Object>> lines = new LinkedHashMap<>();
        Map<Map<String, String>, Map<String, String>> units = new HashMap<>();
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            Object value = null;
            String unit = "Count";
            if (meter instanceof Counter counter) {
                double total = counter.count();
                double delta = total - lastCounts.getOrDefault(id, 0.0);
                lastCounts.put(id, total);
                value = delta > 0 ? delta : null;
            } else if (meter instanceof Timer) {
                List<Double> values = samples.remove(id);
                value = values == null || values.isEmpty() ? null : values;
                unit = "Milliseconds";
            } else if (meter instanceof Gauge gauge) {
                double v = gauge.value();
                value = Double.isFinite(v) ? v : null;
                unit = "seconds".equals(id.getBaseUnit()) ? "Seconds" : "Count";
            }
            if (value == null) {
                continue;
            }
            Map<String, String> dimensions = new TreeMap<>();
            for (Tag tag : id.getTagsAsIterable()) {
                dimensions.put(tag.getKey(), tag.getValue());
            }
            lines.computeIfAbsent(dimensions, k -> new LinkedHashMap<>()).put(id.getName(), value);
            units.computeIfAbsent(dimensions, k -> new HashMap<>()).put(id.getName(), unit);
        }
        lines.forEach((dimensions, metrics) -> sink.accept(line(now, dimensions, metrics, units.get(dimensions))));
    }

    private String line(long timestamp, Map<String, String> dimensions, Map<String, Object> metrics, Map<String, String> units) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("_aws");
            g.writeNumberField("Timestamp", timestamp);
            g.writeArrayFieldStart("CloudWatchMetrics");
            g.writeStartObject();
            g.writeStringField("Namespace", namespace);
            g.writeArrayFieldStart("Dimensions");
            g.writeStartArray();
            for (String d : dimensions.keySet()) {
                g.writeString(d);
            }
            g.writeEndArray();
            g.writeEndArray();
            g.writeArrayFieldStart("Metrics");
            for (String name : metrics.keySet()) {
                g.writeStartObject();
                g.writeStringField("Name", name);
                g.writeStringField("Unit", units.get(name));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeStringField("function", function);
            for (var d : dimensions.entrySet()) {
                g.writeStringField(d.getKey(), d.getValue());
            }
            for (var m : metrics.entrySet()) {
                if (m.getValue() instanceof List<?> values) {
                    g.writeArrayFieldStart(m.getKey());
                    for (Object v : values) {
                        g.writeNumber((Double) v);
                    }
                    g.writeEndArray();
                } else {
                    g.writeNumberField(m.getKey(), (Double) m.getValue());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
