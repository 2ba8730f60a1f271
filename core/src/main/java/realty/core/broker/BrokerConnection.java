package realty.core.broker;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.micronaut.crac.OrderedResource;
import io.micronaut.rabbitmq.connect.ChannelPool;
import io.micronaut.rabbitmq.connect.DefaultChannelPool;
import io.micronaut.rabbitmq.connect.RabbitConnectionFactoryConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lazily opened AMQP connection, made by micronaut-rabbitmq's {@code rabbitmq.*} connection factory,
 * with micronaut-rabbitmq's channel pool on it; every channel handed out is in publisher-confirm mode.
 *
 * <p>micronaut-rabbitmq's own {@code Connection} bean is not used (see {@link BrokerConnectionFactory}): it
 * is a singleton opened at start-up under Lambda's eager initialisation, failing the start on a timeout
 * or TLS error, and never reopened. Here opening is lazy so that a function starts, and the API keeps accepting writes, while the broker
 * is down (the outbox keeps the events); after a failed attempt callers fail fast for
 * {@code realty.broker.reconnect-backoff} rather than each paying a connect timeout.
 *
 * <p>Before a SnapStart snapshot the connection is closed ({@link #beforeCheckpoint}; micronaut-crac
 * registers every {@link OrderedResource} bean as an org.crac runtime hook, and has no RabbitMQ resource of
 * its own): a socket inside a snapshot is dead in every environment restored from it, and an
 * auto-recovering connection would only notice at the next missed heartbeat. The next use after the
 * restore opens a fresh one (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks.html).
 */
@Singleton
public class BrokerConnection implements AutoCloseable, OrderedResource {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);

    private final RabbitConnectionFactoryConfig factory;
    private final BrokerSettings settings;
    private volatile Open open;
    private volatile long retryNotBefore;

    /** The connection and the pool of channels on it, replaced together. */
    private record Open(Connection connection, DefaultChannelPool channels) {
    }

    public BrokerConnection(RabbitConnectionFactoryConfig factory, BrokerSettings settings) {
        this.factory = factory;
        this.settings = settings;
    }

    /** Work on a channel in publisher-confirm mode. */
    @FunctionalInterface
    public interface ChannelWork<T> {
        T apply(Channel channel) throws Exception;
    }

    /**
     * Runs {@code work} on a pooled confirm channel. A channel that saw an error is closed, not
     * returned to the pool.
     */
    public <T> T withChannel(ChannelWork<T> work) throws BrokerUnavailableException {
        ChannelPool pool = open().channels();
        Channel channel = null;
        try {
            channel = pool.getChannel();
            // Confirm mode is per channel and stays on; a channel not yet in it numbers no publishes (0).
            if (channel.getNextPublishSeqNo() == 0) {
                channel.confirmSelect();
            }
            T result = work.apply(channel);
            pool.returnChannel(channel);
            return result;
        } catch (Exception e) {
            if (channel != null) {
                closeQuietly(channel);
                pool.returnChannel(channel); // closed: the pool only counts it out
            }
            if (e instanceof BrokerUnavailableException b) {
                throw b;
            }
            throw new BrokerUnavailableException("broker operation failed: " + e, e);
        }
    }

    /**
     * A channel of its own on the connection, outside the pool, for a caller that keeps it open
     * (the shared confirm channel of {@link EventPublisher#publishConfirmed}).
     */
    public Channel newChannel() throws BrokerUnavailableException {
        try {
            Channel channel = open().connection().createChannel();
            if (channel == null) {
                throw new BrokerUnavailableException("no channel left on the broker connection", null);
            }
            return channel;
        } catch (BrokerUnavailableException e) {
            throw e;
        } catch (Exception e) {
            throw new BrokerUnavailableException("could not open a channel: " + e, e);
        }
    }

    /** Whether a connection is open right now (does not try to connect). */
    public boolean isConnected() {
        Open o = open;
        return o != null && o.connection().isOpen();
    }

    /** Opens the connection if needed and reports whether the broker answers. */
    public boolean ping() {
        try {
            return open().connection().isOpen();
        } catch (BrokerUnavailableException e) {
            return false;
        }
    }

    private Open open() throws BrokerUnavailableException {
        Open o = open;
        if (o != null && o.connection().isOpen()) {
            return o;
        }
        synchronized (this) {
            o = open;
            if (o != null && o.connection().isOpen()) {
                return o;
            }
            if (o != null) {
                // An auto-recovering connection is reconnecting on its own; don't open a second one.
                throw new BrokerUnavailableException("broker connection lost, recovering", null);
            }
            if (System.currentTimeMillis() < retryNotBefore) {
                throw new BrokerUnavailableException("broker unreachable (backing off)", null);
            }
            try {
                Connection connection = factory.newConnection("realty");
                open = new Open(connection, new DefaultChannelPool(factory.getName(), connection, factory));
                LOG.info("connected to broker {}:{} vhost {}", factory.getHost(), factory.getPort(), factory.getVirtualHost());
                return open;
            } catch (Exception e) {
                retryNotBefore = System.currentTimeMillis() + settings.getReconnectBackoff().toMillis();
                throw new BrokerUnavailableException("broker unreachable: " + e.getMessage(), e);
            }
        }
    }

    private static void closeQuietly(Channel channel) {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (Exception ignored) {
            // the channel is unusable either way
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        LOG.info("closing the broker connection before the snapshot");
        close();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing: the next publish opens a new connection
    }

    @PreDestroy
    @Override
    public void close() {
        Open o;
        synchronized (this) {
            o = open;
            open = null;
        }
        if (o != null) {
            o.channels().close();
            try {
                o.connection().abort(2000);
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
