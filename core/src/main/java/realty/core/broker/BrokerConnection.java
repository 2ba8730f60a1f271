package realty.core.broker;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.micronaut.crac.OrderedResource;
import org.crac.Context;
import org.crac.Resource;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One lazily opened AMQP connection with a small pool of confirm-mode channels.
 *
 * <p>Opening is lazy so that a function starts, and the API keeps accepting writes, while the broker
 * is down (the outbox keeps the events). After a failed attempt callers fail fast for
 * {@code reconnect-backoff} rather than each paying a connect timeout.
 *
 * <p>Before a SnapStart snapshot the connection is closed ({@link #beforeCheckpoint}; micronaut-crac
 * registers every {@link OrderedResource} bean as an org.crac runtime hook): a socket inside a
 * snapshot is dead in every environment restored from it, and an auto-recovering connection would
 * only notice at the next missed heartbeat. The next use after the restore opens a fresh one
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks.html).
 */
@Singleton
public class BrokerConnection implements AutoCloseable, OrderedResource {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);

    private final BrokerSettings settings;
    private final BlockingQueue<Channel> idle;
    private volatile Connection connection;
    private volatile long retryNotBefore;

    public BrokerConnection(BrokerSettings settings) {
        this.settings = settings;
        this.idle = new ArrayBlockingQueue<>(Math.max(1, settings.getChannelPoolSize()));
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
        Channel channel = idle.poll();
        try {
            if (channel == null || !channel.isOpen()) {
                channel = connection().createChannel();
                channel.confirmSelect();
            }
            T result = work.apply(channel);
            if (!idle.offer(channel)) {
                closeQuietly(channel);
            }
            return result;
        } catch (BrokerUnavailableException e) {
            closeQuietly(channel);
            throw e;
        } catch (Exception e) {
            closeQuietly(channel);
            throw new BrokerUnavailableException("broker operation failed: " + e, e);
        }
    }

    /** Whether a connection is open right now (does not try to connect). */
    public boolean isConnected() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    /** Opens the connection if needed and reports whether the broker answers. */
    public boolean ping() {
        try {
            return connection().isOpen();
        } catch (BrokerUnavailableException e) {
            return false;
        }
    }

    private Connection connection() throws BrokerUnavailableException {
        Connection c = connection;
        if (c != null && c.isOpen()) {
            return c;
        }
        synchronized (this) {
            c = connection;
            if (c != null && c.isOpen()) {
                return c;
            }
            if (c != null) {
                // An auto-recovering connection is reconnecting on its own; don't open a second one.
                throw new BrokerUnavailableException("broker connection lost, recovering", null);
            }
            if (System.currentTimeMillis() < retryNotBefore) {
                throw new BrokerUnavailableException("broker unreachable (backing off)", null);
            }
            try {
                connection = newFactory().newConnection("realty");
                LOG.info("connected to broker {} vhost {}", redacted(settings.getUri()), settings.getVirtualHost());
                return connection;
            } catch (Exception e) {
                retryNotBefore = System.currentTimeMillis() + settings.getReconnectBackoff().toMillis();
                throw new BrokerUnavailableException("broker unreachable: " + e.getMessage(), e);
            }
        }
    }

    private ConnectionFactory newFactory() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(settings.getUri());
        if (factory.isSSL()) {
            // setUri("amqps://...") installs amqp-client's trust-everything manager. Verify the broker's
            // certificate chain against the JVM trust store (Amazon MQ's certificates chain to a public
            // CA) and its host name instead.
            factory.useSslProtocol(SSLContext.getDefault());
            factory.enableHostnameVerification();
        }
        factory.setVirtualHost(settings.getVirtualHost());
        if (settings.getUsername() != null) {
            factory.setUsername(settings.getUsername());
        }
        if (settings.getPassword() != null) {
            factory.setPassword(settings.getPassword());
        }
        factory.setConnectionTimeout((int) settings.getConnectTimeout().toMillis());
        factory.setAutomaticRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(settings.getReconnectBackoff().toMillis());
        factory.setRequestedHeartbeat(30);
        return factory;
    }

    private static String redacted(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }

    private static void closeQuietly(Channel channel) {
        if (channel == null) {
            return;
        }
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
        Channel ch;
        while ((ch = idle.poll()) != null) {
            closeQuietly(ch);
        }
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.abort(2000);
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
