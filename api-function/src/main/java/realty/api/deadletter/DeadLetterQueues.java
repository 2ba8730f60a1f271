package realty.api.deadletter;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import jakarta.inject.Singleton;
import realty.core.broker.BrokerConnection;
import realty.core.broker.BrokerUnavailableException;
import realty.core.consumer.DelayTierRecoverer;
import realty.core.consumer.ReceivedMessage;
import realty.core.topology.WorkQueue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Reads, replays and discards the messages of a work queue's dead-letter queue over AMQP, without
 * ever losing or duplicating one:
 *
 * <ul>
 *   <li>Reading takes messages with {@code basic.get} and no ack and hands every one back
 *       ({@code basic.nack}, requeue), which returns it to its place in the queue. If this process
 *       dies while holding them, the broker requeues them when the channel closes.</li>
 *   <li>A replay first publishes a copy to the work queue and waits for the broker's confirm, and
 *       only then acks the dead letter. Dying in between leaves the dead letter in place and the
 *       copy in the work queue: at worst one extra delivery, which the consumer's
 *       {@code (event id, consumer)} record turns into a no-op. The reverse order could lose it.</li>
 *   <li>A discard is an ack; nothing else.</li>
 * </ul>
 *
 * A message held by a concurrent listing or replay is invisible to this one for that moment.
 */
@Singleton
public class DeadLetterQueues {
    public static final String REPLAY_COUNT = "x-replay-count";
    public static final String REPLAYED_AT = "x-replayed-at";
    public static final String REPLAYED_FROM = "x-replayed-from";
    /** Headers that describe a past failure; a replay drops them so the message starts afresh. */
    static final Set<String> FAILURE_HEADERS = Set.of("x-death", ReceivedMessage.ATTEMPT_HEADER, DelayTierRecoverer.FIRST_FAILURE_AT,
            DelayTierRecoverer.LAST_ERROR, "x-original-queue", "x-original-routing-key", "x-attempts",
            "x-last-failure-at", "x-exception-class", "x-exception-message", "x-failed-function", "x-failure-kind",
            "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason");

    private final BrokerConnection broker;
    private final DeadLetterSettings settings;

    public DeadLetterQueues(BrokerConnection broker, DeadLetterSettings settings) {
        this.broker = broker;
        this.settings = settings;
    }

    /** What was done to the selected messages. */
    private enum Action { NONE, REPLAY, DISCARD }

    /** Up to {@code limit} dead letters of the queue, oldest first, all left in place. */
    public List<DeadLetter> list(WorkQueue queue, int limit) throws BrokerUnavailableException {
        return scan(queue, d -> true, limit, Action.NONE);
    }

    /** The number of messages in the dead-letter queue. */
    public long depth(WorkQueue queue) throws BrokerUnavailableException {
        return broker.withChannel(ch -> ch.messageCount(queue.deadLetterQueue()));
    }

    /** Sends the selected dead letters (at most {@code max}) back to the work queue with their attempts reset. */
    public List<DeadLetter> replay(WorkQueue queue, Predicate<DeadLetter> which, int max) throws BrokerUnavailableException {
        return scan(queue, which, max, Action.REPLAY);
    }

    /** Removes the selected dead letters (at most {@code max}) for good. */
    public List<DeadLetter> discard(WorkQueue queue, Predicate<DeadLetter> which, int max) throws BrokerUnavailableException {
        return scan(queue, which, max, Action.DISCARD);
    }

    private List<DeadLetter> scan(WorkQueue queue, Predicate<DeadLetter> which, int max, Action action)
            throws BrokerUnavailableException {
        if (max <= 0) {
            return List.of();
        }
        String dlq = queue.deadLetterQueue();
        // Raw channel: micronaut-rabbitmq has no basicGet (pull) and no selective ack/nack of a scanned queue.
        return broker.withChannel(ch -> {
            long depth = ch.messageCount(dlq);
            long budget = Math.min(depth, settings.getMaxScan());
            List<GetResponse> selected = new ArrayList<>();
            List<DeadLetter> described = new ArrayList<>();
            List<Long> others = new ArrayList<>();
            // Whatever is still unacked when something throws is requeued: the pool closes this channel.
            for (long i = 0; i < budget && selected.size() < max; i++) {
                GetResponse r = ch.basicGet(dlq, false);
                if (r == null) {
                    break;
                }
                DeadLetter d = describe(queue, r);
                if (which.test(d)) {
                    selected.add(r);
                    described.add(d);
                } else {
                    others.add(r.getEnvelope().getDeliveryTag());
                }
            }
            for (long tag : others) {
                ch.basicNack(tag, false, true);
            }
            switch (action) {
                case NONE -> requeue(ch, selected);
                case REPLAY -> replay(ch, queue, selected);
                case DISCARD -> ack(ch, selected);
            }
            // A synchronous round trip: the broker handles a channel's methods in order, so once
            // it answers, every ack and nack above has been applied.
            ch.messageCount(dlq);
            return described;
        });
    }

    private static void requeue(Channel ch, List<GetResponse> messages) throws Exception {
        for (GetResponse r : messages) {
            ch.basicNack(r.getEnvelope().getDeliveryTag(), false, true);
        }
    }

    private static void ack(Channel ch, List<GetResponse> messages) throws Exception {
        for (GetResponse r : messages) {
            ch.basicAck(r.getEnvelope().getDeliveryTag(), false);
        }
    }

    private void replay(Channel ch, WorkQueue queue, List<GetResponse> messages) throws Exception {
        if (messages.isEmpty()) {
            return;
        }
        ch.queueDeclarePassive(queue.name()); // the default exchange would drop a copy for a missing queue
        for (GetResponse r : messages) {
            ch.basicPublish("", queue.name(), false, replayProperties(r.getProps(), queue), r.getBody());
        }
        ch.waitForConfirmsOrDie(settings.getConfirmTimeout().toMillis());
        ack(ch, messages);
    }

    static AMQP.BasicProperties replayProperties(AMQP.BasicProperties original, WorkQueue queue) {
        Map<String, Object> headers = new LinkedHashMap<>();
        if (original.getHeaders() != null) {
            original.getHeaders().forEach((k, v) -> {
                if (!FAILURE_HEADERS.contains(k)) {
                    headers.put(k, v);
                }
            });
        }
        headers.put(REPLAY_COUNT, replayCount(original.getHeaders()) + 1);
        headers.put(REPLAYED_AT, Instant.now().toString());
        headers.put(REPLAYED_FROM, queue.deadLetterQueue());
        return original.builder().headers(headers).deliveryMode(2).build();
    }

    static DeadLetter describe(WorkQueue queue, GetResponse r) {
        AMQP.BasicProperties p = r.getProps();
        Map<String, Object> raw = p.getHeaders() == null ? Map.of() : p.getHeaders();
        Map<String, String> headers = new TreeMap<>();
        raw.forEach((k, v) -> headers.put(k, text(v)));
        String kind = text(raw.get("x-failure-kind"));
        String error = raw.containsKey("x-exception-class")
                ? text(raw.get("x-exception-class")) + ": " + text(raw.get("x-exception-message"))
                : text(raw.get(DelayTierRecoverer.LAST_ERROR));
        if (kind == null) {
            kind = deathReason(raw.get("x-death"));
        }
        Integer attempts = raw.get("x-attempts") instanceof Number n ? n.intValue() : null;
        Date timestamp = p.getTimestamp();
        return new DeadLetter(idOf(p.getMessageId(), r.getBody()), queue.deadLetterQueue(), queue.name(), p.getType(),
                p.getCorrelationId(), timestamp == null ? null : timestamp.toInstant(), kind, attempts,
                text(raw.get("x-failed-function")), error, text(raw.get("x-last-failure-at")), replayCount(raw),
                r.getBody() == null ? 0 : r.getBody().length, headers);
    }

    /** The message id, or a digest of the body for a message that has none. */
    public static String idOf(String messageId, byte[] body) {
        if (messageId != null && !messageId.isBlank()) {
            return messageId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body);
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int replayCount(Map<String, Object> headers) {
        return headers != null && headers.get(REPLAY_COUNT) instanceof Number n ? n.intValue() : 0;
    }

    /** RabbitMQ's reason for the first x-death entry (expired, rejected, maxlen), if any. */
    private static String deathReason(Object xDeath) {
        if (xDeath instanceof List<?> deaths && !deaths.isEmpty() && deaths.get(0) instanceof Map<?, ?> first) {
            return text(first.get("reason"));
        }
        return null;
    }

    private static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof LongString ls) {
            return new String(ls.getBytes(), StandardCharsets.UTF_8);
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (v instanceof Date d) {
            return d.toInstant().toString();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(DeadLetterQueues::text).toList().toString();
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, String> out = new TreeMap<>();
            map.forEach((k, x) -> out.put(String.valueOf(k), text(x)));
            return out.toString();
        }
        return v.toString();
    }
}
