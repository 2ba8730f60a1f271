package realty.core.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ShutdownListener;
import com.rabbitmq.client.ShutdownSignalException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One channel in confirm mode shared by every concurrent publisher of a process: each message's
 * confirm completes its own future, keyed by delivery tag, so a request waits for its own confirm
 * and not behind others' ({@code waitForConfirms} waits for everything the channel has outstanding).
 *
 * <p>A channel may not be written by two threads at once, so the lock covers taking the delivery
 * tag and {@code basicPublish} (one socket write), never the wait for the confirm. Confirms arrive
 * on the connection's dispatcher thread, which completes the futures.
 */
final class ConfirmChannel implements ConfirmListener, ShutdownListener {
    private final Channel channel;
    private final ReentrantLock publishing = new ReentrantLock();
    private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> outstanding = new ConcurrentSkipListMap<>();
    private volatile boolean closed;

    ConfirmChannel(Channel channel) throws IOException {
        this.channel = channel;
        channel.confirmSelect();
        channel.addConfirmListener(this);
        channel.addShutdownListener(this);
    }

    boolean isOpen() {
        return !closed && channel.isOpen();
    }

    /**
     * Publishes the messages and returns at once; the future completes when the broker confirmed
     * all of them, exceptionally when it refused one or the channel closed first.
     */
    CompletableFuture<Void> publish(List<OutgoingMessage> messages) throws IOException {
        List<AMQP.BasicProperties> properties = new ArrayList<>(messages.size()); // built before taking the lock
        for (OutgoingMessage m : messages) {
            properties.add(EventPublisher.properties(m));
        }
        List<CompletableFuture<Void>> confirms = new ArrayList<>(messages.size());
        publishing.lock();
        try {
            for (int i = 0; i < messages.size(); i++) {
                OutgoingMessage m = messages.get(i);
                if (closed) {
                    throw new IOException("confirm channel closed");
                }
                CompletableFuture<Void> confirm = new CompletableFuture<>();
                long tag = channel.getNextPublishSeqNo();
                outstanding.put(tag, confirm); // before the publish: the confirm may come back before basicPublish returns
                try {
                    channel.basicPublish(m.exchange(), m.routingKey(), false, properties.get(i), m.body());
                } catch (IOException | RuntimeException e) {
                    outstanding.remove(tag);
                    throw e;
                }
                confirms.add(confirm);
            }
        } finally {
            publishing.unlock();
        }
        return confirms.size() == 1 ? confirms.get(0) : CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new));
    }

    @Override
    public void handleAck(long deliveryTag, boolean multiple) {
        settle(deliveryTag, multiple, null);
    }

    @Override
    public void handleNack(long deliveryTag, boolean multiple) {
        settle(deliveryTag, multiple, new BrokerUnavailableException("the broker refused the message (nack)", null));
    }

    private void settle(long deliveryTag, boolean multiple, BrokerUnavailableException failure) {
        if (multiple) {
            Map.Entry<Long, CompletableFuture<Void>> e;
            while ((e = outstanding.firstEntry()) != null && e.getKey() <= deliveryTag) {
                if (outstanding.remove(e.getKey(), e.getValue())) {
                    complete(e.getValue(), failure);
                }
            }
        } else {
            CompletableFuture<Void> f = outstanding.remove(deliveryTag);
            if (f != null) {
                complete(f, failure);
            }
        }
    }

    private static void complete(CompletableFuture<Void> f, BrokerUnavailableException failure) {
        if (failure == null) {
            f.complete(null);
        } else {
            f.completeExceptionally(failure);
        }
    }

    /** The channel or its connection closed: nothing outstanding will be confirmed any more. */
    @Override
    public void shutdownCompleted(ShutdownSignalException cause) {
        closed = true;
        BrokerUnavailableException failure = new BrokerUnavailableException("channel closed before the confirm: " + cause.getMessage(), cause);
        Map.Entry<Long, CompletableFuture<Void>> e;
        while ((e = outstanding.pollFirstEntry()) != null) {
            e.getValue().completeExceptionally(failure);
        }
    }

    void close() {
        closed = true;
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (Exception ignored) {
            // unusable either way
        }
    }
}
