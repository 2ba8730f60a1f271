package realty.core.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.event.KeyValuePair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One JSON object per line, with SLF4J key-value pairs and MDC entries as top-level fields, so
 * that CloudWatch Logs Insights can filter on {@code eventId} or {@code outcome} directly. A field
 * whose name looks like a credential is written as {@code [redacted]}: the last line of defence,
 * since nothing should log one in the first place.
 */
public class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|authorization|credential).*");
    private static final Set<String> RESERVED = Set.of("timestamp", "level", "logger", "thread", "message", "error");
    private static final byte[] NEWLINE = {'\n'};

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null) {
                for (var e : mdc.entrySet()) {
                    field(g, e.getKey(), e.getValue());
                }
            }
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    field(g, kv.key, kv.value);
                }
            }
            IThrowableProxy error = event.getThrowableProxy();
            if (error != null) {
                g.writeStringField("error", error.getClassName() + ": " + error.getMessage());
                g.writeStringField("stackTrace", ThrowableProxyUtil.asString(error));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.writeBytes(NEWLINE);
        return out.toByteArray();
    }

    private static void field(JsonGenerator g, String name, Object value) throws IOException {
        if (name == null || RESERVED.contains(name)) {
            return;
        }
        if (SECRET_NAME.matcher(name).matches()) {
            g.writeStringField(name, "[redacted]");
        } else if (value == null) {
            g.writeNullField(name);
        } else if (value instanceof Boolean b) {
            g.writeBooleanField(name, b);
        } else if (value instanceof Integer || value instanceof Long) {
            g.writeNumberField(name, ((Number) value).longValue());
        } else if (value instanceof Number n) {
            g.writeNumberField(name, n.doubleValue());
        } else {
            g.writeStringField(name, value.toString());
        }
    }
}
