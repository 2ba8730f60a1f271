package realty.infracheck;

import org.junit.jupiter.api.Test;
import realty.core.topology.WorkQueue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each work queue of the code's topology is consumed exactly once, by its own function. */
class QueueWiringTest {

    /** One Amazon MQ event source: the queue, the handler it invokes, its access configuration. */
    record EventSource(String where, String queue, String handler, Map<String, Object> access) {
    }

    @Test
    void theTopologyHasWorkQueuesToCheck() {
        assertFalse(CodeContract.workQueues().isEmpty());
    }

    @Test
    void eachWorkQueueHasExactlyOneTerraformEventSourceMappingOnItsFunction() {
        assertEachQueueConsumedOnceByItsFunction(terraformEventSources());
    }

    @Test
    void eachWorkQueueHasExactlyOneSamMqEventOnItsFunction() {
        assertEachQueueConsumedOnceByItsFunction(samEventSources());
    }

    @Test
    void everyEventSourceLogsInWithTheBrokerSecretOnTheTopologyVirtualHost() {
        for (EventSource source : terraformEventSources()) {
            assertEquals(Set.of("BASIC_AUTH", "VIRTUAL_HOST"), source.access().keySet(), source.where());
            assertEquals("var.broker_secret_arn", source.access().get("BASIC_AUTH"), source.where());
            assertEquals("var.virtual_host", source.access().get("VIRTUAL_HOST"), source.where());
        }
        for (EventSource source : samEventSources()) {
            assertEquals(Set.of("BASIC_AUTH", "VIRTUAL_HOST"), source.access().keySet(), source.where());
            assertEquals(new Sam.Intrinsic("!Ref", "BrokerSecretArn"), source.access().get("BASIC_AUTH"), source.where());
            assertEquals(new Sam.Intrinsic("!Ref", "AmqpVhost"), source.access().get("VIRTUAL_HOST"), source.where());
        }
    }

    @Test
    void theTerraformEventSourceMappingsReadTheBrokerFromOneVariable() {
        for (Terraform.Block block : Terraform.resources("aws_lambda_event_source_mapping")) {
            assertEquals("var.broker_arn", block.body().get("event_source_arn"), block.toString());
            assertTrue(block.body().containsKey("batch_size"), block + " sets no batch_size");
            assertTrue(block.body().containsKey("maximum_batching_window_in_seconds"), block + " sets no batching window");
        }
    }

    @Test
    void everyDeadLetterQueueOfTheTopologyRaisesAnAlarmOnItsFirstMessage() {
        Terraform.Block alarm = Terraform.resources("aws_cloudwatch_metric_alarm").stream()
                .filter(b -> b.name().equals("dlq_not_empty")).findFirst().orElseThrow();
        for (WorkQueue queue : CodeContract.workQueues()) {
            String suffix = queue.deadLetterQueue().substring(queue.name().length());
            assertEquals("each.key" + suffix, Maps.get(alarm.body(), "dimensions", "Queue"),
                    "the DLQ alarm must watch " + queue.deadLetterQueue());
        }
        assertEquals("AWS/AmazonMQ", alarm.body().get("namespace"));
        assertEquals("GreaterThanThreshold", alarm.body().get("comparison_operator"));
        assertEquals(0.0, ((Number) alarm.body().get("threshold")).doubleValue());
    }

    @Test
    void everyWorkQueueHasAStalledConsumerAlarmOnItsOwnFigures() {
        Terraform.Block alarm = Terraform.resources("aws_cloudwatch_metric_alarm").stream()
                .filter(b -> b.name().equals("stalled_consumer")).findFirst()
                .orElseThrow(() -> new AssertionError("no stalled_consumer alarm (targets.md R8)"));
        assertEquals("local.queues", alarm.body().get("for_each"), "one alarm per work queue");
        List<Map<String, Object>> queries = Maps.blocks(alarm.body().get("metric_query"));
        List<Object> metrics = queries.stream().map(q -> Maps.get(q, "metric", "metric_name")).filter(m -> m != null).toList();
        assertTrue(metrics.containsAll(List.of("ConsumerCount", "MessageUnacknowledgedCount", "MessageReadyCount")), metrics.toString());
        for (Map<String, Object> q : queries) {
            if (q.get("metric") != null) {
                assertEquals("each.key", Maps.get(q, "metric", "dimensions", "Queue"), "every figure must be the queue's own");
            }
        }
    }

    private static void assertEachQueueConsumedOnceByItsFunction(List<EventSource> sources) {
        for (WorkQueue queue : CodeContract.workQueues()) {
            List<EventSource> consumers = sources.stream().filter(s -> s.queue().equals(queue.name())).toList();
            assertEquals(1, consumers.size(), queue.name() + " must have exactly one event source, has " + consumers);
            assertEquals(CodeContract.queueHandler(queue.function()), consumers.get(0).handler(),
                    queue.name() + " is consumed by the wrong function");
        }
        Set<String> known = CodeContract.workQueues().stream().map(WorkQueue::name).collect(Collectors.toSet());
        sources.forEach(s -> assertTrue(known.contains(s.queue()), s.where() + " consumes " + s.queue()
                + ", which is not a work queue of the topology (DLQs and retry queues are never consumed by Lambda)"));
    }

    /** Mappings with for_each over queue => function key, resolved to handlers via the functions map. */
    static List<EventSource> terraformEventSources() {
        Map<String, String> handlerByKey = new LinkedHashMap<>();
        for (Terraform.Block function : Terraform.resources("aws_lambda_function")) {
            Maps.map(function.body().get("for_each")).forEach((key, entry) ->
                    handlerByKey.put(key, String.valueOf(Maps.map(entry).get("handler"))));
        }
        List<EventSource> sources = new ArrayList<>();
        for (Terraform.Block block : Terraform.resources("aws_lambda_event_source_mapping")) {
            Map<String, Object> body = block.body();
            Map<String, Object> access = new LinkedHashMap<>();
            Maps.blocks(body.get("source_access_configuration")).forEach(c -> access.put(String.valueOf(c.get("type")), c.get("uri")));
            Map<String, Object> forEach = Maps.map(body.get("for_each"));
            assertFalse(forEach.isEmpty(), block + " must iterate over a literal queue => function map");
            assertEquals(List.of("each.key"), Maps.list(body.get("queues")), block + ": queues must be [each.key]");
            assertTrue(String.valueOf(body.get("function_name")).endsWith("each.value"),
                    block + ": function_name must be chosen by each.value, is " + body.get("function_name"));
            forEach.forEach((queue, functionKey) -> {
                assertTrue(handlerByKey.containsKey(String.valueOf(functionKey)),
                        block + ": no function with key " + functionKey + " (functions: " + handlerByKey.keySet() + ")");
                sources.add(new EventSource(block + " [" + queue + "]", queue, handlerByKey.get(String.valueOf(functionKey)), access));
            });
        }
        return sources;
    }

    static List<EventSource> samEventSources() {
        List<EventSource> sources = new ArrayList<>();
        Sam.functions().forEach((id, properties) -> Maps.map(properties, "Events").forEach((name, event) -> {
            Map<String, Object> e = Maps.map(event);
            if (!"MQ".equals(e.get("Type"))) {
                return;
            }
            Map<String, Object> p = Maps.map(e.get("Properties"));
            List<Object> queues = Maps.list(p.get("Queues"));
            assertEquals(1, queues.size(), "template.yaml " + id + "." + name + ": an MQ event takes exactly one queue");
            assertEquals(new Sam.Intrinsic("!Ref", "BrokerArn"), p.get("Broker"), "template.yaml " + id + "." + name);
            Map<String, Object> access = new LinkedHashMap<>();
            Maps.list(p.get("SourceAccessConfigurations")).forEach(c -> access.put(String.valueOf(Maps.map(c).get("Type")), Maps.map(c).get("URI")));
            sources.add(new EventSource("template.yaml " + id + "." + name, String.valueOf(queues.get(0)),
                    String.valueOf(properties.get("Handler")), access));
        }));
        return sources;
    }
}
