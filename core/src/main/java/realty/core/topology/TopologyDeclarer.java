package realty.core.topology;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.broker.BrokerConnection;
import realty.core.broker.BrokerUnavailableException;
import realty.core.event.EventType;

import java.util.HashMap;
import java.util.Map;

/**
 * Declares the {@link Topology} on the broker. Declarations are idempotent: running it on every
 * deploy or local start changes nothing when the broker already matches.
 */
@Singleton
public class TopologyDeclarer {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyDeclarer.class);

    private final BrokerConnection broker;
    private final Topology topology;

    public TopologyDeclarer(BrokerConnection broker, Topology topology) {
        this.broker = broker;
        this.topology = topology;
    }

    public void declare() throws BrokerUnavailableException {
        // Raw channel: micronaut-rabbitmq declares nothing (no exchanges, queues, arguments or bindings).
        broker.withChannel(channel -> {
            channel.exchangeDeclare(Topology.EXCHANGE, BuiltinExchangeType.TOPIC, true);
            for (WorkQueue queue : topology.workQueues()) {
                declare(channel, queue);
            }
            return null;
        });
        LOG.info("topology declared: exchange {} and queues {}", Topology.EXCHANGE,
                topology.workQueues().stream().map(WorkQueue::name).toList());
    }

    private static void declare(Channel channel, WorkQueue queue) throws Exception {
        // Everything that leaves the work queue without an ack (TTL expiry, reject) lands in its DLQ.
        channel.exchangeDeclare(queue.deadLetterExchange(), BuiltinExchangeType.FANOUT, true);
        channel.queueDeclare(queue.deadLetterQueue(), true, false, false, null);
        channel.queueBind(queue.deadLetterQueue(), queue.deadLetterExchange(), "");

        Map<String, Object> args = new HashMap<>();
        args.put("x-max-priority", queue.maxPriority());
        args.put("x-message-ttl", queue.messageTtl().toMillis());
        args.put("x-dead-letter-exchange", queue.deadLetterExchange());
        channel.queueDeclare(queue.name(), true, false, false, args);
        for (EventType type : queue.bindings()) {
            channel.queueBind(queue.name(), Topology.EXCHANGE, type.typeName());
        }

        // One delay queue per tier with a queue-level TTL: messages of one tier all wait the same
        // time, so the head always expires first and no long delay blocks a shorter one.
        for (int tier = 1; tier <= queue.retry().tiers(); tier++) {
            Map<String, Object> retryArgs = new HashMap<>();
            retryArgs.put("x-message-ttl", queue.retry().delayOfTier(tier).toMillis());
            retryArgs.put("x-dead-letter-exchange", "");
            retryArgs.put("x-dead-letter-routing-key", queue.name());
            channel.queueDeclare(queue.retryQueue(tier), true, false, false, retryArgs);
        }
    }
}
