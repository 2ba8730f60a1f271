package realty.core.observability;

import ch.qos.logback.core.PropertyDefinerBase;

/**
 * Chooses the log format for logback.xml: {@code REALTY_LOG_FORMAT} ({@code json} or
 * {@code text}) if set, else JSON in Lambda (where CloudWatch Logs Insights reads the fields) and
 * human-readable text everywhere else.
 */
public class LogFormatDefiner extends PropertyDefinerBase {
    @Override
    public String getPropertyValue() {
        String chosen = System.getenv("REALTY_LOG_FORMAT");
        if (chosen == null || chosen.isBlank()) {
            chosen = System.getProperty("realty.log.format");
        }
        if ("json".equalsIgnoreCase(chosen) || "text".equalsIgnoreCase(chosen)) {
            return chosen.toUpperCase(java.util.Locale.ROOT);
        }
        return System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null ? "JSON" : "TEXT";
    }
}
