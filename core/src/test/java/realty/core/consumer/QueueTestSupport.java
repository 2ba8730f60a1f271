package realty.core.consumer;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.micronaut.context.ApplicationContext;
import realty.localinfra.RabbitMQEvents;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventCodec;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.UserCreated;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Batches as Lambda's Amazon MQ event source delivers them, and a look into the test's virtual host. */
final class QueueTestSupport {
    private QueueTestSupport() {
    }

    static EventEnvelope userCreated(UUID company) {
        String user = UUID.randomUUID().toString();
        return EventEnvelope.create(EventType.USER_CREATED, company, Actor.system("test"), "req-" + user, null,
                new AggregateRef("user", user), new UserCreated(UUID.fromString(user), user + "@example.com", null, null, List.of(), List.of()));
    }

    static RabbitMQEvent batch(ApplicationContext ctx, String queue, List<EventEnvelope> events) {
        EventCodec codec = ctx.getBean(EventCodec.class);
        List<byte[]> bodies = new ArrayList<>();
        events.forEach(e -> bodies.add(codec.encode(e)));
        return rawBatch(queue, bodies);
    }

    static RabbitMQEvent rawBatch(String queue, List<byte[]> bodies) {
        return RabbitMQEvents.batch(queue, bodies.stream()
                .map(body -> new RabbitMQEvents.Message(UUID.randomUUID().toString(), EventType.USER_CREATED.typeName(), body))
                .toList());
    }

    /** Every message now in {@code queue} of the context's virtual host, taken off it. */
    static List<GetResponse> drain(ApplicationContext ctx, String queue) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        URI uri = URI.create(ctx.getRequiredProperty("realty.broker.uri", String.class));
        f.setHost(uri.getHost());
        f.setPort(uri.getPort());
        f.setVirtualHost(ctx.getRequiredProperty("realty.broker.virtual-host", String.class));
        f.setUsername(ctx.getRequiredProperty("realty.broker.username", String.class));
        f.setPassword(ctx.getRequiredProperty("realty.broker.password", String.class));
        List<GetResponse> out = new ArrayList<>();
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            GetResponse r;
            while ((r = ch.basicGet(queue, true)) != null) {
                out.add(r);
            }
        }
        return out;
    }

    static String header(GetResponse r, String name) {
        Object v = r.getProps().getHeaders() == null ? null : r.getProps().getHeaders().get(name);
        return v == null ? null : v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString();
    }
}
