package realty.local.ops;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.micronaut.context.ApplicationContext;
import realty.core.topology.Topology;
import realty.local.TestSystem;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The whole local system for the operations tests ({@link TestSystem}, whose management API is the
 * test broker's), with the publishing, queue and metric helpers these tests need.
 */
final class OpsSystem extends TestSystem {

    OpsSystem(Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> queueFunctions,
              Map<String, Object> properties) throws Exception {
        super(queueFunctions, properties);
    }

    /** With the real audit function behind these switchable faults. */
    OpsSystem(SwitchableAuditFunction.Faults faults, Map<String, Object> properties) throws Exception {
        this(Map.of(Topology.AUDIT, ctx -> new SwitchableAuditFunction(ctx, faults)), properties);
    }

    /** {@link TestSystem#eventually(Duration, Callable)}, polling every 100 ms (many probes ask the management API). */
    public static <T> T eventually(Duration timeout, Callable<T> probe) throws InterruptedException {
        return TestSystem.eventually(timeout, Duration.ofMillis(100), probe);
    }

    String text(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(system.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** Creates a user and returns the id of its {@code user.created} event. */
    UUID createUser(String token, String email, String companyId) throws Exception {
        return expect(201, "POST", "/api/v1/users", token, Map.of("email", email, "name", "Ops " + email,
                "password", PASSWORD, "profiles", List.of("agent"), "companyIds", List.of(companyId))).event("user.created");
    }

    /** Publishes persistent messages with confirms, as the system's own publishers do. */
    void publish(String exchange, String routingKey, List<Message> messages) throws Exception {
        try (Connection c = amqp(); Channel ch = c.createChannel()) {
            ch.confirmSelect();
            for (Message m : messages) {
                AMQP.BasicProperties p = new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                        .messageId(m.id()).type(m.type()).timestamp(new Date()).priority(5).headers(m.headers()).build();
                ch.basicPublish(exchange, routingKey, p, m.body().getBytes(StandardCharsets.UTF_8));
            }
            ch.waitForConfirmsOrDie(10_000);
        }
    }

    record Message(String id, String type, Map<String, Object> headers, String body) {
    }

    long depth(String queue) throws Exception {
        try (Connection c = amqp(); Channel ch = c.createChannel()) {
            return ch.messageCount(queue);
        }
    }

    Map<String, Object> queueView(String token, String queue) throws Exception {
        Response r = expect(200, "GET", "/api/v1/admin/queues", token, null);
        return r.list("queues").stream().filter(q -> queue.equals(q.get("queue"))).findFirst()
                .orElseThrow(() -> new AssertionError("no queue " + queue + " in " + r.body()));
    }

    /** How many deliveries of this queue the consumer runtime skipped as already processed. */
    double duplicatesSkipped(String queue) {
        return system.metrics().find("realty.events.duplicates_skipped").tag("queue", queue).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
