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
 * Writes a Micrometer registry as CloudWatch embedded metric format: JSON lines with a {@code _aws}
 * block naming the metrics and their dimensions, which CloudWatch Logs turns into metrics without
 * any API call from the function
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * Counters are written as the increase since the previous flush; handler latencies as the
 * individual samples, so CloudWatch can compute percentiles; gauges as their current value. One
 * line per tag set, split where the format's limits require it: at most 100 metrics per line and
 * 100 values per metric.
 *
 * <p>Hand-written on purpose: aws-embedded-metrics (or Powertools Metrics, which wraps it) would
 * add 2.5 MB to each queue function's jar (docs/architecture.md, "Libraries and their cost").
 */
public final class EmbeddedMetricFormat {
    /** The format's limits: metrics per directive, values per metric target. */
    static final int MAX_METRICS = 100;
    static final int MAX_VALUES = 100;
    /** Latency samples kept per timer between flushes; beyond it only the counters stay exact. */
    static final int MAX_SAMPLES = 1000;
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
        if (values.size() < MAX_SAMPLES) {
            values.add(millis);
        }
    }

    /** Writes every metric that changed since the last call. */
    public synchronized void flush(MeterRegistry registry) {
        long now = System.currentTimeMillis();
        // dimensions (sorted tags) → the values to write, a timer's samples in chunks of MAX_VALUES
        Map<Map<String, String>, List<Datum>> byDimensions = new LinkedHashMap<>();
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            List<Datum> data = new ArrayList<>();
            if (meter instanceof Counter counter) {
                double total = counter.count();
                double delta = total - lastCounts.getOrDefault(id, 0.0);
                lastCounts.put(id, total);
                if (delta > 0) {
                    data.add(new Datum(id.getName(), "Count", delta));
                }
            } else if (meter instanceof Timer) {
                List<Double> values = samples.remove(id);
                for (int from = 0; values != null && from < values.size(); from += MAX_VALUES) {
                    data.add(new Datum(id.getName(), "Milliseconds",
                            List.copyOf(values.subList(from, Math.min(values.size(), from + MAX_VALUES)))));
                }
            } else if (meter instanceof Gauge gauge) {
                double v = gauge.value();
                if (Double.isFinite(v)) {
                    data.add(new Datum(id.getName(), "seconds".equals(id.getBaseUnit()) ? "Seconds" : "Count", v));
                }
            }
            if (data.isEmpty()) {
                continue;
            }
            Map<String, String> dimensions = new TreeMap<>();
            for (Tag tag : id.getTagsAsIterable()) {
                dimensions.put(tag.getKey(), tag.getValue());
            }
            byDimensions.computeIfAbsent(dimensions, k -> new ArrayList<>()).addAll(data);
        }
        byDimensions.forEach((dimensions, data) -> {
            for (Map<String, Datum> metrics : pack(data)) {
                sink.accept(line(now, dimensions, metrics));
            }
        });
    }

    /** One metric's value in one line: a number, or up to {@link #MAX_VALUES} samples. */
    private record Datum(String name, String unit, Object value) {
    }

    /** Lines of at most {@link #MAX_METRICS} metrics, each metric at most once per line. */
    private static List<Map<String, Datum>> pack(List<Datum> data) {
        List<Map<String, Datum>> lines = new ArrayList<>();
        for (Datum d : data) {
            Map<String, Datum> target = null;
            for (Map<String, Datum> line : lines) {
                if (line.size() < MAX_METRICS && !line.containsKey(d.name())) {
                    target = line;
                    break;
                }
            }
            if (target == null) {
                target = new LinkedHashMap<>();
                lines.add(target);
            }
            target.put(d.name(), d);
        }
        return lines;
    }

    private String line(long timestamp, Map<String, String> dimensions, Map<String, Datum> metrics) {
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
            for (Datum d : metrics.values()) {
                g.writeStartObject();
                g.writeStringField("Name", d.name());
                g.writeStringField("Unit", d.unit());
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
            for (Datum d : metrics.values()) {
                if (d.value() instanceof List<?> values) {
                    g.writeArrayFieldStart(d.name());
                    for (Object v : values) {
                        g.writeNumber((Double) v);
                    }
                    g.writeEndArray();
                } else {
                    g.writeNumberField(d.name(), (Double) d.value());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
