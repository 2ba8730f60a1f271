package realty.core.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The functions' logging (LogConfigurator) writes JSON lines in Lambda and text elsewhere; a JSON line carries the
 * message, the MDC and the key-value pairs as typed top-level fields, and never a credential.
 */
class JsonLogLinesTest {
    private static final ObjectMapper MAPPER = ObjectMapper.getDefault();

    /** The encoder of the functions' console appender, configured by LogConfigurator with these properties. */
    private static Encoder<ILoggingEvent> consoleEncoder(Map<String, String> properties) throws Exception {
        LoggerContext context = new LoggerContext();
        properties.forEach(context::putProperty);
        LogConfigurator configurator = new LogConfigurator();
        configurator.setContext(context);
        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configurator.configure(context));
        try {
            ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                    .getAppender("STDOUT");
            return console.getEncoder();
        } finally {
            context.stop();
        }
    }

    @Test
    void inLambdaTheConsoleWritesJsonAndElsewhereText() throws Exception {
        assertInstanceOf(FlatJsonEncoder.class, consoleEncoder(Map.of("AWS_LAMBDA_FUNCTION_NAME", "realty-prod-audit")));
        assertInstanceOf(PatternLayoutEncoder.class, consoleEncoder(Map.of()));
    }

    @Test
    void realtyLogFormatOverridesTheDefault() throws Exception {
        assertInstanceOf(PatternLayoutEncoder.class,
                consoleEncoder(Map.of("AWS_LAMBDA_FUNCTION_NAME", "realty-prod-audit", "REALTY_LOG_FORMAT", "text")));
        assertInstanceOf(FlatJsonEncoder.class, consoleEncoder(Map.of("REALTY_LOG_FORMAT", "json")));
        assertInstanceOf(FlatJsonEncoder.class, consoleEncoder(Map.of("realty.log.format", "json")));
    }

    @Test
    void anUnknownFormatIsTextAndTheTextKeepsTheKeyValuePairs() throws Exception {
        Encoder<ILoggingEvent> encoder = consoleEncoder(Map.of("AWS_LAMBDA_FUNCTION_NAME", "realty-prod-audit", "REALTY_LOG_FORMAT", "plain"));
        assertEquals(LogConfigurator.TEXT_PATTERN, assertInstanceOf(PatternLayoutEncoder.class, encoder).getPattern());
    }

    /** Logback finds the configurator as a service, and what it sets up is the functions' levels and one console. */
    @Test
    void logbackFindsTheConfiguratorAndItSetsTheLevels() {
        assertTrue(java.util.ServiceLoader.load(Configurator.class).stream().anyMatch(p -> p.type() == LogConfigurator.class),
                "META-INF/services names LogConfigurator");
        LoggerContext context = new LoggerContext();
        LogConfigurator configurator = new LogConfigurator();
        configurator.setContext(context);
        configurator.configure(context);
        try {
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            assertEquals(Level.INFO, root.getLevel());
            assertInstanceOf(ConsoleAppender.class, root.getAppender(LogConfigurator.APPENDER));
            assertTrue(root.getAppender(LogConfigurator.APPENDER).isStarted());
            assertEquals(Level.WARN, context.getLogger("com.zaxxer.hikari").getLevel());
            assertEquals(Level.WARN, context.getLogger("org.flywaydb").getLevel());
            assertEquals(Level.WARN, context.getLogger("com.icegreen.greenmail").getLevel());
            assertEquals(Level.INFO, context.getLogger("realty.core.outbox").getEffectiveLevel());
        } finally {
            context.stop();
        }
    }

    /** A logback XML file named by the system property (as a logback-test.xml would) is what configures logging. */
    @Test
    void anXmlConfigurationStillWins(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path xml = dir.resolve("other.xml");
        java.nio.file.Files.writeString(xml, """
                <configuration>
                    <appender name="OTHER" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%msg%n</pattern></encoder>
                    </appender>
                    <root level="WARN"><appender-ref ref="OTHER"/></root>
                </configuration>
                """);
        String before = System.getProperty("logback.configurationFile");
        System.setProperty("logback.configurationFile", xml.toString());
        LoggerContext context = new LoggerContext();
        try {
            LogConfigurator configurator = new LogConfigurator();
            configurator.setContext(context);
            assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configurator.configure(context));
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            assertEquals(Level.WARN, root.getLevel());
            assertInstanceOf(ConsoleAppender.class, root.getAppender("OTHER"));
            assertNull(root.getAppender(LogConfigurator.APPENDER));
        } finally {
            context.stop();
            if (before == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", before);
            }
        }
    }

    private static Map<String, Object> line(ILoggingEvent event) throws Exception {
        String json = new String(new FlatJsonEncoder().encode(event), StandardCharsets.UTF_8);
        assertTrue(json.endsWith("}\n") && json.indexOf('\n') == json.length() - 1, "one line: " + json);
        return MAPPER.readValue(json, Argument.mapOf(String.class, Object.class));
    }

    /** A logger of the running logback, which has the MDC adapter an event reads. */
    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }

    private static LoggingEvent event(String message, Object... arguments) {
        return new LoggingEvent(JsonLogLinesTest.class.getName(), logger(EventLog.LOGGER), Level.WARN, message, null, arguments);
    }

    @Test
    void keyValuePairsAndTheMdcAreTypedTopLevelFields() throws Exception {
        UUID event = UUID.randomUUID();
        LoggingEvent e = event("{} {}", "audit", event);
        e.addKeyValuePair(new KeyValuePair("eventId", event.toString()));
        e.addKeyValuePair(new KeyValuePair("coldStart", true));
        e.addKeyValuePair(new KeyValuePair("attempt", 2));
        e.addKeyValuePair(new KeyValuePair("durationMs", 12.5));
        e.addKeyValuePair(new KeyValuePair("companyId", null));
        e.addKeyValuePair(new KeyValuePair("failure", "line one\n\"quoted\""));
        e.setMDCPropertyMap(Map.of("requestId", "req-1"));

        Map<String, Object> fields = line(e);

        assertEquals("audit " + event, fields.get("message"), "the formatted message, not the pattern");
        assertEquals("WARN", fields.get("level"));
        assertEquals(EventLog.LOGGER, fields.get("loggerName"));
        assertInstanceOf(Number.class, fields.get("timestamp"));
        assertEquals(event.toString(), fields.get("eventId"));
        assertEquals(true, fields.get("coldStart"));
        assertEquals(2, ((Number) fields.get("attempt")).intValue());
        assertEquals(12.5, ((Number) fields.get("durationMs")).doubleValue());
        assertTrue(fields.containsKey("companyId"));
        assertNull(fields.get("companyId"));
        assertEquals("line one\n\"quoted\"", fields.get("failure"));
        assertEquals("req-1", fields.get("requestId"));
        assertFalse(fields.containsKey("kvpList") || fields.containsKey("mdc"), fields.toString());
    }

    @Test
    void aFieldNamedLikeACredentialIsRedacted() throws Exception {
        LoggingEvent e = event("login");
        for (String name : List.of("password", "jwtSecret", "accessToken", "Authorization", "credentials")) {
            e.addKeyValuePair(new KeyValuePair(name, "a-long-password"));
        }
        e.setMDCPropertyMap(Map.of("refreshToken", "a-long-password"));

        Map<String, Object> fields = line(e);

        assertFalse(fields.toString().contains("a-long-password"), fields.toString());
        assertEquals("[redacted]", fields.get("password"));
        assertEquals("[redacted]", fields.get("refreshToken"));
    }

    @Test
    void aFieldCannotOverwriteTheLinesOwnFields() throws Exception {
        LoggingEvent e = event("the message");
        e.addKeyValuePair(new KeyValuePair("message", "forged"));
        e.addKeyValuePair(new KeyValuePair("level", "DEBUG"));

        Map<String, Object> fields = line(e);

        assertEquals("the message", fields.get("message"));
        assertEquals("WARN", fields.get("level"));
    }

    @Test
    void anExceptionIsWrittenWithItsClassMessageAndFrames() throws Exception {
        LoggingEvent e = new LoggingEvent(JsonLogLinesTest.class.getName(), logger("x"), Level.ERROR,
                "failed", new IllegalStateException("the audit store is unavailable"), null);

        Map<String, Object> fields = line(e);

        @SuppressWarnings("unchecked")
        Map<String, Object> throwable = (Map<String, Object>) fields.get("throwable");
        assertEquals(IllegalStateException.class.getName(), throwable.get("className"));
        assertEquals("the audit store is unavailable", throwable.get("message"));
        assertInstanceOf(List.class, throwable.get("stepArray"));
    }
}
