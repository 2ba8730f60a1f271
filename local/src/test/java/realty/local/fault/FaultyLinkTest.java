package realty.local.fault;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault injector itself: after {@code cut()} no byte may pass, including on a connection the
 * link accepted while it was being cut. Before the fix such a connection was registered after
 * {@code cut()} had closed the others and lived on, so {@code DatabaseOutageTest} saw a 200 from a
 * database that was supposed to be unreachable (a CI failure on 2026-11-29).
 */
class FaultyLinkTest {

    /**
     * A restore right after a cut listens on the same port again. Before the fix it failed with
     * "Address already in use" (CI, 2026-11-29): the cut's close of the listening socket completes
     * only when the link's accepting thread wakes up.
     */
    @Test
    void aRestoreRightAfterACutListensOnTheSamePort() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             FaultyLink link = new FaultyLink("127.0.0.1", echo.getLocalPort())) {
            int port = link.port();
            for (int i = 0; i < 50; i++) {
                link.cut();
                link.restore();
                try (Socket s = new Socket("127.0.0.1", port)) {
                    assertTrue(s.isConnected());
                }
            }
            assertEquals(port, link.port());
        }
    }

    @Test
    void aConnectionAcceptedDuringTheCutDoesNotOutliveIt() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
             FaultyLink link = new FaultyLink("127.0.0.1", echo.getLocalPort())) {
            Thread echoer = new Thread(() -> serveEcho(echo), "echo");
            echoer.setDaemon(true);
            echoer.start();

            int survivors = 0;
            int connected = 0;
            for (int i = 0; i < 400; i++) {
                link.restore();
                CompletableFuture<Socket> client = CompletableFuture.supplyAsync(() -> {
                    try {
                        return new Socket("127.0.0.1", link.port());
                    } catch (IOException refused) {
                        return null;
                    }
                });
                // Cut somewhere around the moment the link accepts the connection.
                long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(0, 400_000);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                link.cut();
                try (Socket s = client.get(5, TimeUnit.SECONDS)) {
                    if (s == null) {
                        continue;
                    }
                    connected++;
                    if (echoes(s)) {
                        survivors++;
                    }
                }
            }
            assertTrue(connected > 0, "no connection was made before a cut: the race was not exercised");
            assertEquals(0, survivors, survivors + " of " + connected + " connections still carried bytes after cut()");
        }
    }

    /** True if a byte written after the cut comes back from the echo server. */
    private static boolean echoes(Socket s) {
        try {
            s.setSoTimeout(300);
            OutputStream out = s.getOutputStream();
            out.write(42);
            out.flush();
            InputStream in = s.getInputStream();
            return in.read() == 42;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException closed) {
            return false;
        }
    }

    private static void serveEcho(ServerSocket echo) {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                Thread t = new Thread(() -> {
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        int b;
                        while ((b = in.read()) >= 0) {
                            out.write(b);
                            out.flush();
                        }
                    } catch (IOException ignored) {
                        // the link closed it
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }
}
