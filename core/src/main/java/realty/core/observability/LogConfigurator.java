package realty.core.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.DefaultJoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

import java.util.Map;

/**
 * The functions' logging set up in Java, found by logback through
 * {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}: JSON lines in Lambda
 * ({@link FlatJsonEncoder}, which CloudWatch Logs Insights reads field by field), readable text
 * elsewhere. {@code REALTY_LOG_FORMAT=json|text} (or {@code -Drealty.log.format}) overrides the choice.
 *
 * <p>Why not a {@code logback.xml}: reading one costs logback's XML configurator (Joran), the JDK's
 * XML parser and their lambdas, about 460 classes and 140 ms of every cold start (logging set up in
 * 255–281 ms with the XML, 112–141 ms without, JIT stopped at C1 as in Lambda; docs/benchmarks.md,
 * "Logging set up in Java"). Micronaut AOT would generate the same from the XML, but AOT is not
 * used (docs/deploy.md).
 *
 * <p>A {@code logback-test.xml}, a {@code logback.xml} or {@code -Dlogback.configurationFile} still
 * wins (the local tests and the benchmark have their own): then this hands over to logback's own
 * XML configurator, the one logback would have run next.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public class LogConfigurator extends ContextAwareBase implements Configurator {
    /** The console appender's name, as the XML configuration had it. */
    public static final String APPENDER = "STDOUT";
    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg %kvp%n";
    /** Chatty at INFO and not ours; their warnings still show. */
    static final Map<String, Level> QUIETER = Map.of(
            "com.zaxxer.hikari", Level.WARN,
            "org.flywaydb", Level.WARN,
            "com.icegreen.greenmail", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        DefaultJoranConfigurator xml = new DefaultJoranConfigurator();
        xml.setContext(context);
        if (xml.findURLOfDefaultConfigurationFile(false) != null) {
            return xml.configure(context);
        }
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(APPENDER);
        Encoder<ILoggingEvent> encoder = json(context) ? new FlatJsonEncoder() : text();
        encoder.setContext(context);
        encoder.start();
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        QUIETER.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static PatternLayoutEncoder text() {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setPattern(TEXT_PATTERN);
        return encoder;
    }

    /** {@code json}; {@code auto} (the default): JSON exactly when running in Lambda; anything else: text. */
    static boolean json(LoggerContext context) {
        String format = lookup(context, "REALTY_LOG_FORMAT");
        if (format == null) {
            format = lookup(context, "realty.log.format");
        }
        if (format == null) {
            format = "auto";
        }
        return "json".equals(format) || ("auto".equals(format) && lookup(context, "AWS_LAMBDA_FUNCTION_NAME") != null);
    }

    /** Where logback's own variables come from, in its order: the context, then system properties, then the environment. */
    private static String lookup(LoggerContext context, String name) {
        String value = context.getProperty(name);
        if (value == null) {
            value = System.getProperty(name);
        }
        return value != null ? value : System.getenv(name);
    }
}
