package realty.infracheck;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Terraform and SAM deploy exactly the handlers the code has, from the right jars. */
class HandlerWiringTest {

    @Test
    void terraformDeploysTheApiTheRelayTheDeployTaskAndOneFunctionPerWorkQueue() {
        assertEquals(new TreeSet<>(CodeContract.expectedHandlers()), handlers(Deployments.terraform()));
    }

    @Test
    void samDeploysTheApiTheRelayTheDeployTaskAndOneFunctionPerWorkQueue() {
        assertEquals(new TreeSet<>(CodeContract.expectedHandlers()), handlers(Deployments.sam()));
    }

    @Test
    void everyDeployedHandlerIsALoadableLambdaRequestHandler() {
        Set<String> handlers = new LinkedHashSet<>();
        Stream.concat(Deployments.terraform().stream(), Deployments.sam().stream()).forEach(f -> handlers.add(f.handler()));
        assertFalse(handlers.isEmpty());
        for (String handler : handlers) {
            Class<?> type;
            try {
                type = Class.forName(handler, false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                fail("handler " + handler + " is deployed but no such class exists");
                return;
            }
            assertFalse(Modifier.isAbstract(type.getModifiers()), handler + " is abstract");
            assertTrue(Modifier.isPublic(type.getModifiers()), handler + " is not public");
            try {
                assertTrue(Modifier.isPublic(type.getConstructor().getModifiers()));
            } catch (NoSuchMethodException e) {
                fail(handler + " has no public no-argument constructor; Lambda cannot instantiate it");
            }
            List<Method> handleRequest = Stream.of(type.getMethods())
                    .filter(m -> m.getName().equals("handleRequest") && !Modifier.isAbstract(m.getModifiers()))
                    .toList();
            assertFalse(handleRequest.isEmpty(), handler + " has no handleRequest method");
        }
    }

    @Test
    void everyFunctionShipsTheJarOfTheModuleThatContainsItsHandler() {
        Stream.concat(Deployments.terraform().stream(), Deployments.sam().stream()).forEach(f ->
                assertEquals(CodeContract.artifactOf(f.handler()), f.artifact(), f + " deploys the wrong artifact"));
    }

    @Test
    void terraformBuildsEachFunctionFromItsEntryInTheFunctionsMap() {
        for (Terraform.Block block : Terraform.resources("aws_lambda_function")) {
            Map<String, Object> body = block.body();
            if (!(body.get("for_each") instanceof Map<?, ?>)) {
                continue;
            }
            assertEquals("each.value.handler", body.get("handler"), block + ": handler");
            assertEquals("each.value.environment", Maps.get(body, "environment", "variables"), block + ": environment");
            assertEquals("java17", body.get("runtime"), block + ": runtime");
            assertEquals(true, body.get("publish"), block + ": every change must publish a version for the alias");
        }
    }

    /**
     * SnapStart for every function but the deploy task, which is invoked once right after its
     * version is published and so would never restore from a snapshot.
     */
    @Test
    void everyFunctionButTheDeployTaskRestoresFromASnapStartSnapshot() {
        for (Terraform.Block block : Terraform.resources("aws_lambda_function")) {
            Map<String, Object> snapStart = Maps.map(block.body(), "dynamic", "snap_start");
            assertEquals("PublishedVersions", Maps.get(snapStart, "content", "apply_on"), block + ": snap_start");
            Maps.map(block.body().get("for_each")).forEach((key, entry) -> assertEquals(
                    !CodeContract.DEPLOY_TASK.equals(Maps.map(entry).get("handler")), Maps.map(entry).get("snap_start"),
                    block + " [" + key + "]: SnapStart for every function but the deploy task"));
        }
        Sam.functions().forEach((id, properties) -> assertEquals(
                CodeContract.DEPLOY_TASK.equals(properties.get("Handler")) ? null : "PublishedVersions",
                Maps.get(properties, "SnapStart", "ApplyOn"), "template.yaml " + id + ": SnapStart"));
        assertEquals("live", Maps.get(Sam.template(), "Globals", "Function", "AutoPublishAlias"),
                "SAM: SnapStart applies to published versions, which AutoPublishAlias publishes and the MQ events then invoke");
    }

    /**
     * SnapStart applies to published versions and aliases of them, never $LATEST: the Amazon MQ event
     * source mappings must invoke the live alias, or every batch would start a JVM from scratch.
     */
    @Test
    void theQueueEventSourcesInvokeTheLiveAliasOfAPublishedVersion() {
        for (Terraform.Block block : Terraform.resources("aws_lambda_event_source_mapping")) {
            assertTrue(String.valueOf(block.body().get("function_name")).startsWith("var.function_alias_arns"),
                    block + ": the mapping must invoke the function's alias (var.function_alias_arns), not " + block.body().get("function_name"));
        }
        Path realty = Repository.infra().resolve("modules/realty/main.tf");
        assertEquals("module.functions.alias_arns", Maps.get(Terraform.parse(realty), "module", "event_sources", "function_alias_arns"),
                "modules/realty passes the functions' alias ARNs to the event sources");
        assertTrue(Pattern.compile("output\\s+\"alias_arns\"\\s*\\{[^}]*aws_lambda_alias\\.live\\s*:\\s*k\\s*=>\\s*a\\.arn", Pattern.DOTALL)
                        .matcher(read(Repository.infra().resolve("modules/functions/outputs.tf"))).find(),
                "modules/functions: alias_arns are the ARNs of the live aliases");
    }

    /**
     * A queue function restored from a snapshot should not pay for decoding its first batch: each
     * queue function's module has a priming hook for its own Micronaut environment
     * (realty.core.consumer.QueueFunctionPriming; its test in the module checks what it does).
     */
    @Test
    void everyQueueFunctionPrimesItsSnapshot() throws Exception {
        for (var queue : CodeContract.workQueues()) {
            String handler = CodeContract.queueHandler(queue.function());
            String priming = handler.replace("Function", "SnapStartPriming");
            Class<?> type = Class.forName(priming, false, getClass().getClassLoader());
            assertTrue(realty.core.consumer.QueueFunctionPriming.class.isAssignableFrom(type), priming + " extends QueueFunctionPriming");
            io.micronaut.context.annotation.Requires requires = type.getAnnotation(io.micronaut.context.annotation.Requires.class);
            assertTrue(requires != null && List.of(requires.env()).equals(List.of(queue.function())),
                    priming + " must be active in the " + queue.function() + " environment only");
        }
    }

    @Test
    void theApiIsServedByAnHttpApiWithPayloadTwoAndThrottling() {
        Terraform.Block integration = single(Terraform.resources("aws_apigatewayv2_integration"));
        assertEquals("AWS_PROXY", integration.body().get("integration_type"));
        assertEquals("2.0", integration.body().get("payload_format_version"));
        Terraform.Block stage = single(Terraform.resources("aws_apigatewayv2_stage"));
        Map<String, Object> throttling = Maps.map(stage.body(), "default_route_settings");
        assertTrue(throttling.containsKey("throttling_rate_limit") && throttling.containsKey("throttling_burst_limit"),
                "the default route must be throttled: " + throttling);

        Map<String, Object> api = Maps.map(Sam.functions().values().stream()
                .filter(p -> CodeContract.API.equals(p.get("Handler"))).findFirst().orElseThrow(), "Events");
        assertTrue(api.values().stream().anyMatch(e -> "HttpApi".equals(Maps.map(e).get("Type"))),
                "SAM ApiFunction needs an HttpApi event");
        Map<String, Object> httpApi = Maps.map(Sam.template(), "Resources", "HttpApi", "Properties", "DefaultRouteSettings");
        assertTrue(httpApi.containsKey("ThrottlingRateLimit") && httpApi.containsKey("ThrottlingBurstLimit"),
                "SAM HttpApi must be throttled");
    }

    @Test
    void theOutboxRelayRunsOnAScheduleAndTheDeployTaskRunsDuringApply() {
        Terraform.Block schedule = schedule("relay");
        assertEquals("rate(1 minute)", Maps.get(Terraform.parse(schedule.file().getParent().resolve("variables.tf")),
                "variable", "relay_schedule_expression", "default"));
        assertEquals("aws_lambda_alias.live.value.arn", Maps.get(schedule.body(), "target", "arn"),
                "the schedule must invoke the relay's live alias");

        Terraform.Block deploy = single(Terraform.resources("aws_lambda_invocation"));
        // hcl4j drops index keys (this["deploy"] parses as this.value), so read the key from the source.
        Matcher target = Pattern.compile("function_name\\s*=\\s*aws_lambda_function\\.this\\[\"([a-z_]+)\"]")
                .matcher(read(deploy.file()));
        assertTrue(target.find(), "the deploy invocation must name its function as aws_lambda_function.this[\"<key>\"]");
        Terraform.Block functions = single(Terraform.resources("aws_lambda_function"));
        assertEquals(CodeContract.DEPLOY_TASK, Maps.get(functions.body(), "for_each", target.group(1), "handler"),
                "the invocation must run the deploy task");
        assertTrue(Maps.map(deploy.body(), "triggers").containsKey("artifact_sha256"),
                "the deploy task must re-run when the artifact changes");

        Map<String, Object> relay = Sam.functions().values().stream()
                .filter(p -> CodeContract.OUTBOX_RELAY.equals(p.get("Handler"))).findFirst().orElseThrow();
        assertTrue(Maps.map(relay, "Events").values().stream()
                .anyMatch(e -> Set.of("Schedule", "ScheduleV2").contains(Maps.map(e).get("Type"))),
                "SAM OutboxRelayFunction needs a schedule");
    }

    /** A schedule resource by name: hcl4j reads aws_lambda_alias.live["x"] as live.value, so tests take names from the source. */
    static Terraform.Block schedule(String name) {
        return Terraform.resources("aws_scheduler_schedule").stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no aws_scheduler_schedule \"" + name + "\""));
    }

    private static Set<String> handlers(List<Deployments.Function> functions) {
        Set<String> handlers = functions.stream().map(Deployments.Function::handler).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(functions.size(), handlers.size(), "a handler is deployed twice: " + functions);
        return handlers;
    }

    private static String read(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Terraform.Block single(List<Terraform.Block> blocks) {
        assertEquals(1, blocks.size(), "expected exactly one of " + blocks);
        return blocks.get(0);
    }
}
