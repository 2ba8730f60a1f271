package realty.core.broker;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An {@code amqps://} broker must prove who it is: amqp-client's {@code setUri} alone trusts any
 * certificate, so a man in the middle would receive the broker credentials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private SSLServerSocket server;
    private Thread acceptor;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger handshakes = new AtomicInteger();

    @BeforeAll
    void startTlsServerWithASelfSignedCertificate(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), output);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 10,
                java.net.InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    accepted.incrementAndGet();
                    socket.setSoTimeout(3000);
                    try {
                        socket.startHandshake();
                        handshakes.incrementAndGet();
                        socket.getInputStream().read(new byte[8]); // the AMQP protocol header, then hang up
                    } catch (Exception refused) {
                        // the client refused our certificate: what the test expects
                    }
                } catch (Exception closed) {
                    return;
                }
            }
        }, "tls-broker-stand-in");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        acceptor.join(2000);
    }

    @Test
    void amqpsRefusesABrokerWhoseCertificateTheJvmDoesNotTrust() {
        // Through the deployment's property (realty.broker.uri → rabbitmq.uri) and micronaut-rabbitmq's factory.
        try (ApplicationContext context = ApplicationContext.run(BrokerConnectionTest.withoutDatabase(
                "realty.broker.uri", "amqps://localhost:" + server.getLocalPort(),
                "rabbitmq.connection-timeout", 3000))) {
            assertFalse(context.getBean(BrokerConnection.class).ping(), "connected to a broker with an untrusted certificate");
        }
        assertTrue(accepted.get() >= 1, "the client never reached the TLS stand-in");
        assertEquals(0, handshakes.get(), "the TLS handshake with an untrusted certificate completed");
    }
}
