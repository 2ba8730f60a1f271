package realty.core.consumer;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.crac.OrderedResource;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.event.EventType;
import realty.core.event.payload.UnreadablePayload;
import realty.core.topology.Topology;
import realty.core.topology.WorkQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * SnapStart priming of a queue function: before Lambda snapshots the initialised environment, one
 * in-memory RabbitMQ batch with an envelope of every event type bound to the function's queue goes
 * through the same decoder as a real batch (base64 bodies, AMQP headers in Lambda's {@code bytes}
 * form, the JSON envelope, each payload record and its required-field check), and the function's
 * batch handler is built, so that these classes are loaded and initialised in the snapshot instead
 * of in the first batch after every restore
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-best-practices.html).
 *
 * <p>No side effects: nothing is written, published or opened. The batch is decoded, never handled,
 * and no statement runs: Lambda takes the snapshot when the version is published, before the deploy
 * task has migrated the database, so the priming must not depend on the schema. The order is the
 * highest, so CRaC (reverse order of registration) runs this before micronaut-crac suspends the pool
 * and {@link realty.core.broker.BrokerConnection} closes. A failure is logged and never fails the
 * snapshot. Each function module declares its subclass for its own Micronaut environment.
 */
public abstract class QueueFunctionPriming implements OrderedResource {
    private static final Logger LOG = LoggerFactory.getLogger(QueueFunctionPriming.class);
    static final String PRIMING_ID = "snapstart-priming";

    private final ApplicationContext context;
    private final String function;
    private volatile Report lastReport;

    /** What one priming did: the event types bound to the queue, envelopes decoded, payloads checked. */
    public record Report(String function, int eventTypes, int decoded, int payloadsChecked, boolean handlerBuilt, long millis) {
    }

    protected QueueFunctionPriming(ApplicationContext context, String function) {
        this.context = context;
        this.function = function;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> crac) {
        try {
            lastReport = prime();
        } catch (RuntimeException e) {
            LOG.warn("SnapStart priming ({}) failed: {}", function, e.toString());
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends org.crac.Resource> crac) {
        // nothing: priming only shapes what the snapshot holds
    }

    /** The last priming's report, or null before the first checkpoint. */
    public Report lastReport() {
        return lastReport;
    }

    /** Decodes a batch of every event type the function's queue receives, and builds its batch handler. */
    public Report prime() {
        long start = System.nanoTime();
        WorkQueue queue = context.getBean(Topology.class).queueOfFunction(function);
        List<EventType> types = new ArrayList<>();
        for (EventType type : EventType.values()) {
            if (queue.receives(type)) {
                types.add(type);
            }
        }
        List<ReceivedMessage> decoded = context.getBean(RabbitMQEventDecoder.class).decode(batch(queue, types));
        int envelopes = 0;
        int checked = 0;
        for (ReceivedMessage m : decoded) {
            if (m.envelope() != null) {
                envelopes++;
                // The empty payload is read into its record, then refused for its missing fields: both paths ran.
                if (m.envelope().payload() instanceof UnreadablePayload) {
                    checked++;
                }
            }
        }
        boolean built = context.getBean(BatchMessageHandlerBuilder.class)
                .buildWithEventHandler(queue, context.getBean(EventHandler.class, Qualifiers.byName(function))) != null;
        Report report = new Report(function, types.size(), envelopes, checked, built, (System.nanoTime() - start) / 1_000_000);
        LOG.info("SnapStart priming ({}): {} event types decoded ({} envelopes, {} payloads checked), batch handler built, in {} ms",
                function, report.eventTypes(), report.decoded(), report.payloadsChecked(), report.millis());
        return report;
    }

    /** One message per event type, shaped as Lambda's Amazon MQ event source delivers it. */
    private RabbitMQEvent batch(WorkQueue queue, List<EventType> types) {
        JsonMapper json = context.getBean(JsonMapper.class);
        List<RabbitMQEvent.RabbitMessage> messages = new ArrayList<>();
        for (EventType type : types) {
            String id = UUID.nameUUIDFromBytes((PRIMING_ID + type.typeName()).getBytes(StandardCharsets.UTF_8)).toString();
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("id", id);
            envelope.put("type", type.typeName());
            envelope.put("version", type.version());
            envelope.put("occurredAt", "2026-01-01T00:00:00Z");
            envelope.put("companyId", id);
            envelope.put("actor", Map.of("userId", id, "profiles", List.of("owner")));
            envelope.put("correlationId", PRIMING_ID);
            envelope.put("aggregate", Map.of("type", "priming", "id", id));
            envelope.put("payload", Map.of());
            byte[] body;
            try {
                body = json.writeValueAsBytes(envelope);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            RabbitMQEvent.BasicProperties p = new RabbitMQEvent.BasicProperties();
            p.setMessageId(id);
            p.setType(type.typeName());
            p.setContentType("application/json");
            p.setPriority(type.priority());
            p.setCorrelationId(PRIMING_ID);
            p.setBodySize(body.length);
            // A retried message's headers, in the {"bytes": [...]} form Lambda gives AMQP long strings.
            List<Integer> bytes = new ArrayList<>();
            for (byte b : "priming".getBytes(StandardCharsets.UTF_8)) {
                bytes.add((int) b);
            }
            p.setHeaders(Map.of(ReceivedMessage.ATTEMPT_HEADER, 2, "x-last-error", Map.of("bytes", bytes)));
            RabbitMQEvent.RabbitMessage m = new RabbitMQEvent.RabbitMessage();
            m.setBasicProperties(p);
            m.setRedelivered(false);
            m.setData(Base64.getEncoder().encodeToString(body));
            messages.add(m);
        }
        RabbitMQEvent event = new RabbitMQEvent();
        event.setEventSource("aws:rmq");
        event.setRmqMessagesByQueue(Map.of(queue.name() + "::/", messages));
        return event;
    }
}
