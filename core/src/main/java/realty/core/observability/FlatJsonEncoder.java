package realty.core.observability;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.JsonEscapeUtil;
import org.slf4j.event.KeyValuePair;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Logback's {@link JsonEncoder} (timestamp, level, thread and logger names, structured throwable)
 * with the formatted message, the MDC entries and the SLF4J key-value pairs as top-level fields,
 * typed, so that CloudWatch Logs Insights filters on {@code eventId} and computes
 * {@code pct(durationMs, 95)} directly; logback's own encoder nests them ({@code mdc}, and
 * {@code kvpList} as strings). A field whose name looks like a credential is written as
 * {@code [redacted]}: the last line of defence, since nothing should log one in the first place.
 */
public class FlatJsonEncoder extends JsonEncoder {
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|authorization|credential).*");
    private static final Set<String> RESERVED = Set.of(TIMESTAMP_ATTR_NAME, LEVEL_ATTR_NAME, THREAD_NAME_ATTR_NAME,
            LOGGER_ATTR_NAME, MESSAGE_ATTR_NAME, THROWABLE_ATTR_NAME);

    public FlatJsonEncoder() {
        setWithSequenceNumber(false);
        setWithNanoseconds(false);
        setWithContext(false);
        setWithMarkers(false);
        setWithArguments(false);
        // written flat by appendCustomFields instead
        setWithMDC(false);
        setWithKVPList(false);
        setWithMessage(false);
        setWithFormattedMessage(false);
    }

    @Override
    protected void appendCustomFields(StringBuilder sb, ILoggingEvent event) {
        field(sb, MESSAGE_ATTR_NAME, event.getFormattedMessage());
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            mdc.forEach((name, value) -> custom(sb, name, value));
        }
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair kv : event.getKeyValuePairs()) {
                custom(sb, kv.key, kv.value);
            }
        }
    }

    private static void custom(StringBuilder sb, String name, Object value) {
        if (name != null && !RESERVED.contains(name)) {
            field(sb, name, SECRET_NAME.matcher(name).matches() ? "[redacted]" : value);
        }
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(VALUE_SEPARATOR).append(QUOTE).append(JsonEscapeUtil.jsonEscapeString(name)).append(QUOTE_COL);
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger || value instanceof BigDecimal
                || (value instanceof Number n && Double.isFinite(n.doubleValue()))) {
            sb.append(value);
        } else {
            sb.append(QUOTE).append(JsonEscapeUtil.jsonEscapeString(value.toString())).append(QUOTE);
        }
    }
}
