package realty.core.observability;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of the CloudWatch embedded metric format specification
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
 * as a checker for emitted lines: it returns every rule a document breaks, so a test shows them all.
 */
final class EmfSpec {
    /** CloudWatch's metric units (MetricDatum), the only values the specification's schema allows. */
    static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
            "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
            "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
            "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");
    static final int MAX_EVENT_BYTES = 256 * 1024;
    static final int MAX_METRICS = 100;
    static final int MAX_VALUES = 100;
    /** The specification's schema allows 9 dimension keys per set (later raised to 30); 9 holds for both. */
    static final int MAX_DIMENSION_KEYS = 9;

    private static final ObjectMapper MAPPER = ObjectMapper.getDefault();
    private static final JsonFactory STRICT = new JsonFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private EmfSpec() {
    }

    /** The broken rules of one log event; empty when the line is a valid document. */
    static List<String> violations(String line) {
        List<String> broken = new ArrayList<>();
        if (line.getBytes(StandardCharsets.UTF_8).length > MAX_EVENT_BYTES) {
            broken.add("larger than a log event (256 KB)");
        }
        if (line.contains("\n")) {
            broken.add("not one line: each line is a separate log event");
        }
        // "a valid JSON object with no additional data at the beginning or end", and no member twice
        try (JsonParser p = STRICT.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                broken.add("the root is not a JSON object");
                return broken;
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                broken.add("data after the root object");
            }
        } catch (IOException e) {
            broken.add("not valid JSON: " + e.getMessage());
            return broken;
        }
        Map<String, Object> root;
        try {
            root = MAPPER.readValue(line, Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            broken.add("unreadable: " + e.getMessage());
            return broken;
        }
        if (!(root.get("_aws") instanceof Map<?, ?> aws)) {
            broken.add("no _aws metadata object");
            return broken;
        }
        only(aws, Set.of("Timestamp", "CloudWatchMetrics"), "_aws", broken);
        if (!(aws.get("Timestamp") instanceof Number t) || t.longValue() != t.doubleValue()
                || t.longValue() < 1_500_000_000_000L || t.longValue() > 10_000_000_000_000L) {
            broken.add("_aws.Timestamp is not an integer count of milliseconds since the epoch: " + aws.get("Timestamp"));
        }
        if (!(aws.get("CloudWatchMetrics") instanceof List<?> directives) || directives.isEmpty()) {
            broken.add("_aws.CloudWatchMetrics is not a non-empty array");
            return broken;
        }
        for (Object d : directives) {
            if (!(d instanceof Map<?, ?> directive)) {
                broken.add("a MetricDirective is not an object");
                continue;
            }
            only(directive, Set.of("Namespace", "Dimensions", "Metrics"), "MetricDirective", broken);
            if (!(directive.get("Namespace") instanceof String ns) || ns.isEmpty() || ns.length() > 255) {
                broken.add("Namespace is not a string of 1 to 255 characters: " + directive.get("Namespace"));
            }
            dimensions(directive.get("Dimensions"), root, broken);
            metrics(directive.get("Metrics"), root, broken);
        }
        return broken;
    }

    private static void dimensions(Object value, Map<String, Object> root, List<String> broken) {
        if (!(value instanceof List<?> sets) || sets.isEmpty()) {
            broken.add("Dimensions is not a non-empty array of DimensionSets");
            return;
        }
        for (Object s : sets) {
            if (!(s instanceof List<?> set)) {
                broken.add("a DimensionSet is not an array");
                continue;
            }
            if (set.size() > MAX_DIMENSION_KEYS) {
                broken.add("a DimensionSet has " + set.size() + " keys, more than " + MAX_DIMENSION_KEYS);
            }
            for (Object key : set) {
                if (!(key instanceof String k) || k.isEmpty() || k.length() > 255) {
                    broken.add("a dimension key is not a string of 1 to 255 characters: " + key);
                } else if (!(root.get(k) instanceof String)) {
                    broken.add("dimension " + k + " has no string target member on the root: " + root.get(k));
                }
            }
        }
    }

    private static void metrics(Object value, Map<String, Object> root, List<String> broken) {
        if (!(value instanceof List<?> definitions)) {
            broken.add("Metrics is not an array");
            return;
        }
        if (definitions.size() > MAX_METRICS) {
            broken.add("Metrics has " + definitions.size() + " MetricDefinitions, more than " + MAX_METRICS);
        }
        for (Object d : definitions) {
            if (!(d instanceof Map<?, ?> definition)) {
                broken.add("a MetricDefinition is not an object");
                continue;
            }
            only(definition, Set.of("Name", "Unit", "StorageResolution"), "MetricDefinition", broken);
            if (!(definition.get("Name") instanceof String name) || name.isEmpty() || name.length() > 255) {
                broken.add("a metric Name is not a string of 1 to 255 characters: " + definition.get("Name"));
                continue;
            }
            if (definition.containsKey("Unit") && !UNITS.contains(definition.get("Unit"))) {
                broken.add("metric " + name + " has a Unit CloudWatch does not know: " + definition.get("Unit"));
            }
            Object target = root.get(name);
            if (target instanceof List<?> values) {
                if (values.isEmpty() || values.size() > MAX_VALUES) {
                    broken.add("metric " + name + " has " + values.size() + " values, not 1 to " + MAX_VALUES);
                }
                if (!values.stream().allMatch(Number.class::isInstance)) {
                    broken.add("metric " + name + " has a value that is not a number: " + values);
                }
            } else if (!(target instanceof Number)) {
                broken.add("metric " + name + " has no numeric target member on the root: " + target);
            }
        }
    }

    private static void only(Map<?, ?> object, Set<String> members, String what, List<String> broken) {
        for (Object key : object.keySet()) {
            if (!members.contains(key)) {
                broken.add(what + " has a member the specification does not define: " + key);
            }
        }
    }
}
