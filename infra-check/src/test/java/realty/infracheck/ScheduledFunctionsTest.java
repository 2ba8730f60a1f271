package realty.infracheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two scheduled functions, the outbox relay (every minute, polling for most of it) and
 * housekeeping (every five minutes): Terraform and SAM schedule them, the scheduler may invoke
 * exactly that function, and each Lambda timeout outlasts what the code's configuration lets one
 * invocation do.
 */
class ScheduledFunctionsTest {
    private static final Path FUNCTIONS_TF = Repository.infra().resolve("modules/functions/main.tf");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"relay, rate(1 minute)", "housekeeping, rate(5 minutes)"})
    void terraformSchedulesTheFunctionsLiveAliasAndMayInvokeOnlyThat(String key, String expression) {
        Terraform.Block schedule = HandlerWiringTest.schedule(key);
        assertEquals(expression, Maps.get(Terraform.parse(FUNCTIONS_TF.getParent().resolve("variables.tf")),
                "variable", key + "_schedule_expression", "default"));
        assertEquals("var." + key + "_schedule_expression", schedule.body().get("schedule_expression"));
        assertEquals(0, ((Number) Maps.get(schedule.body(), "target", "retry_policy", "maximum_retry_attempts")).intValue(),
                "a missed run is covered by the next one, never retried into an overlap");
        // hcl4j reads live["x"] as live.value: the keys come from the source text.
        assertTrue(block("resource \"aws_scheduler_schedule\" \"" + key + "\"")
                        .contains("arn      = aws_lambda_alias.live[\"" + key + "\"].arn"),
                "the " + key + " schedule must invoke the " + key + " function's live alias");
        assertTrue(block("resource \"aws_scheduler_schedule\" \"" + key + "\"")
                        .contains("role_arn = aws_iam_role." + key + "_scheduler[0].arn"), "schedule role");
        assertTrue(block("resource \"aws_iam_role\" \"" + key + "_scheduler\"")
                        .contains("data.aws_iam_policy_document.assume_scheduler.json"),
                "the schedule's role must be one EventBridge Scheduler assumes");

        Terraform.Block invoke = Terraform.dataSources("aws_iam_policy_document").stream()
                .filter(b -> b.name().equals(key + "_scheduler")).findFirst().orElseThrow();
        List<Map<String, Object>> statements = Maps.blocks(invoke.body().get("statement"));
        assertEquals(1, statements.size());
        assertEquals(List.of("lambda:InvokeFunction"), Maps.list(statements.get(0).get("actions")));
        assertTrue(block("data \"aws_iam_policy_document\" \"" + key + "_scheduler\"")
                        .contains("resources = [aws_lambda_alias.live[\"" + key + "\"].arn]"),
                "the scheduler may invoke the " + key + " alias and nothing else");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"realty.api.outbox.OutboxRelayFunction, rate(1 minute)",
            "realty.notification.HousekeepingFunction, rate(5 minutes)"})
    void samSchedulesTheFunctionWithoutRetries(String handler, String expression) {
        Map<String, Object> function = samFunction(handler);
        Map<String, Object> event = Maps.map(Maps.map(function, "Events").values().stream()
                .filter(e -> "ScheduleV2".equals(Maps.map(e).get("Type"))).findFirst()
                .orElseThrow(() -> new AssertionError(handler + " has no ScheduleV2 event")));
        assertEquals(expression, Maps.get(event, "Properties", "ScheduleExpression"));
        assertEquals(0, Maps.get(event, "Properties", "RetryPolicy", "MaximumRetryAttempts"));
    }

    @Test
    void theRelayTimeoutOutlastsItsPollingAndEndsBeforeTheRunAfterNext() {
        Duration pollFor = duration(config("api-function/src/main/resources/application-api.yml"),
                "realty", "outbox", "relay-poll-for");
        assertTrue(pollFor.compareTo(Duration.ofSeconds(40)) >= 0 && pollFor.compareTo(Duration.ofSeconds(60)) < 0,
                "the relay polls for most of its minute, not past it: " + pollFor);
        for (int timeout : List.of(terraformTimeout("relay"), samTimeout(CodeContract.OUTBOX_RELAY))) {
            assertTrue(timeout >= pollFor.toSeconds() + 10, "relay timeout " + timeout + " s leaves no room for a last pass after "
                    + pollFor.toSeconds() + " s of polling");
            assertTrue(timeout <= 120, "relay timeout " + timeout + " s would overlap two later runs");
        }
    }

    @Test
    void theHousekeepingTimeoutOutlastsItsTimeBudget() {
        Duration budget = duration(config("notification-function/src/main/resources/application-notification.yml"),
                "realty", "housekeeping", "time-budget");
        for (int timeout : List.of(terraformTimeout("housekeeping"), samTimeout(CodeContract.HOUSEKEEPING))) {
            assertTrue(timeout >= budget.toSeconds() + 20, "housekeeping timeout " + timeout + " s, time budget "
                    + budget.toSeconds() + " s: the last batch needs room");
            assertTrue(timeout < 300, "housekeeping runs every 5 minutes: " + timeout + " s");
        }
    }

    private static Map<String, Object> samFunction(String handler) {
        return Sam.functions().values().stream().filter(p -> handler.equals(p.get("Handler"))).findFirst()
                .orElseThrow(() -> new AssertionError("template.yaml has no " + handler));
    }

    private static int samTimeout(String handler) {
        return ((Number) samFunction(handler).get("Timeout")).intValue();
    }

    /** The default of {@code lookup(var.timeout_seconds, "<key>", N)} in the functions map. */
    private static int terraformTimeout(String key) {
        Matcher m = Pattern.compile("timeout_seconds\\s*=\\s*lookup\\(var\\.timeout_seconds, \"" + key + "\", (\\d+)\\)")
                .matcher(read(FUNCTIONS_TF));
        assertTrue(m.find(), "modules/functions has no timeout for " + key);
        return Integer.parseInt(m.group(1));
    }

    /** The text of one top-level block of modules/functions/main.tf, from its header to its closing brace. */
    private static String block(String header) {
        String source = read(FUNCTIONS_TF);
        int start = source.indexOf(header + " {");
        assertTrue(start >= 0, "modules/functions/main.tf has no " + header);
        int end = source.indexOf("\n}\n", start);
        return source.substring(start, end);
    }

    private static Map<String, Object> config(String file) {
        try (var in = Files.newInputStream(Repository.ROOT.resolve(file))) {
            return new Yaml().load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Duration duration(Map<String, Object> config, String... path) {
        String value = String.valueOf(Maps.get(config, path));
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(value);
        assertTrue(m.matches(), String.join(".", path) + " = " + value + ": not a duration this test reads");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
