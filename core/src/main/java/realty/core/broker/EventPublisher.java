package realty.core.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.MessageProperties;
import io.micronaut.rabbitmq.connect.RabbitConnectionFactoryConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes persistent messages and waits for the broker's confirms. A batch is confirmed as a
 * whole: either every message is confirmed or the call throws and the caller keeps them pending.
 *
 * <p>Two ways, for two kinds of caller. {@link #publish} (the relay, the consumer runtime's
 * recoveries: hundreds of messages, one caller at a time) takes a pooled channel and waits for all
 * its confirms at once. {@link #publishConfirmed} (the API's requests: a few messages each, many
 * requests at once) uses one channel shared by the process, whose confirms are matched to each
 * request's own messages by delivery tag ({@link ConfirmChannel}); concurrent requests then share
 * one channel and do not wait for each other's confirms.
 *
 * <p>Raw channel use: micronaut-rabbitmq's {@code @RabbitClient} publishes blocking calls without
 * confirms and confirms reactive ones one message at a time (through Reactor); a batch confirmed in
 * one wait, all or nothing, has no equivalent there. The wait is {@code rabbitmq.confirm-timeout}.
 */
@Singleton
public class EventPublisher implements AutoCloseable {
    private final BrokerConnection broker;
    private final RabbitConnectionFactoryConfig factory;
    private volatile ConfirmChannel shared;

    public EventPublisher(BrokerConnection broker, RabbitConnectionFactoryConfig factory) {
        this.broker = broker;
        this.factory = factory;
    }

    public void publish(List<OutgoingMessage> messages) throws BrokerUnavailableException {
        if (messages.isEmpty()) {
            return;
        }
        broker.withChannel(channel -> {
            for (OutgoingMessage m : messages) {
                channel.basicPublish(m.exchange(), m.routingKey(), false, properties(m), m.body());
            }
            channel.waitForConfirmsOrDie(factory.getConfirmTimeout().toMillis());
            return null;
        });
    }

    /**
     * Publishes on the shared confirm channel and waits up to {@code rabbitmq.confirm-timeout} for
     * the broker to confirm every message.
     *
     * @throws BrokerUnavailableException when the broker is unreachable, refused a message (nack),
     *                                    or did not confirm in time: treat all as not published
     */
    public void publishConfirmed(List<OutgoingMessage> messages) throws BrokerUnavailableException {
        if (messages.isEmpty()) {
            return;
        }
        CompletableFuture<Void> confirmed;
        try {
            confirmed = sharedChannel().publish(messages);
        } catch (BrokerUnavailableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BrokerUnavailableException("publish failed: " + e, e);
        }
        try {
            confirmed.get(factory.getConfirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new BrokerUnavailableException("no confirm within " + factory.getConfirmTimeout(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof BrokerUnavailableException b ? b
                    : new BrokerUnavailableException("publish failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while waiting for the confirm", e);
        }
    }

    /**
     * The open shared channel, or a new one on the current connection. The monitor is held only while
     * a channel is opened (the first publish, and after the channel or the connection closed).
     */
    private ConfirmChannel sharedChannel() throws IOException {
        ConfirmChannel c = shared;
        if (c != null && c.isOpen()) {
            return c;
        }
        synchronized (this) {
            c = shared;
            if (c != null && c.isOpen()) {
                return c;
            }
            if (c != null) {
                c.close();
            }
            com.rabbitmq.client.Channel channel = broker.newChannel();
            try {
                shared = c = new ConfirmChannel(channel);
            } catch (IOException | RuntimeException e) {
                channel.abort();
                throw e;
            }
            return c;
        }
    }

    @PreDestroy
    @Override
    public void close() {
        ConfirmChannel c = shared;
        shared = null;
        if (c != null) {
            c.close();
        }
    }

    static AMQP.BasicProperties properties(OutgoingMessage m) {
        return MessageProperties.PERSISTENT_BASIC.builder()
                .contentType("application/json")
                .messageId(m.messageId())
                .type(m.type())
                .priority(m.priority())
                .correlationId(m.correlationId())
                .timestamp(m.timestamp() == null ? null : Date.from(m.timestamp()))
                .headers(m.headers())
                .build();
    }
}
