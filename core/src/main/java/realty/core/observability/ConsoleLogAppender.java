package realty.core.observability;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;

import java.util.Locale;

/**
 * Standard output in the format the environment reads best: one JSON object per line in Lambda
 * (CloudWatch Logs Insights then filters on the fields directly), the readable {@code pattern}
 * elsewhere. {@code REALTY_LOG_FORMAT=json|text} (or {@code -Drealty.log.format}) overrides.
 */
public class ConsoleLogAppender extends ConsoleAppender<ILoggingEvent> {
    private String pattern = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg %kvp%n";

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public void start() {
        if (getEncoder() == null) {
            Encoder<ILoggingEvent> encoder;
            if (json()) {
                encoder = new JsonLogEncoder();
            } else {
                PatternLayoutEncoder text = new PatternLayoutEncoder();
                text.setPattern(pattern);
                encoder = text;
            }
            encoder.setContext(getContext());
            encoder.start();
            setEncoder(encoder);
        }
        super.start();
    }

    static boolean json() {
        String chosen = System.getenv("REALTY_LOG_FORMAT");
        if (chosen == null || chosen.isBlank()) {
            chosen = System.getProperty("realty.log.format");
        }
        if (chosen != null && !chosen.isBlank()) {
            return "json".equals(chosen.trim().toLowerCase(Locale.ROOT));
        }
        return System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null;
    }
}
