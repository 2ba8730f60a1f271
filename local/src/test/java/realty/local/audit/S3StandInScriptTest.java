package realty.local.audit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code scripts/s3-standin.sh}: a server on the port that this checkout did not start is refused, not
 * reused (one left by a deleted checkout answered 404 NoSuchBucket to every request of the archive
 * tests), and {@code stop --all} leaves nothing listening.
 */
class S3StandInScriptTest {

    @Test
    void refusesAServerItDidNotStart() throws Exception {
        try (ServerSocket foreign = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result start = run("start", foreign.getLocalPort());
            assertEquals(1, start.exit, start.output);
            assertTrue(start.output.contains("not with the s3rver this checkout started"), start.output);
            assertEquals(3, run("status", foreign.getLocalPort()).exit, "a foreign server is not ours");
        }
    }

    @Test
    void startsReusesAndStopsItsOwnServer() throws Exception {
        int port = freePort();
        try {
            assertEquals(0, run("start", port).exit);
            assertTrue(answers(port));
            assertEquals(0, run("status", port).exit);
            assertEquals(0, run("start", port).exit, "a second start reuses the running server");
        } finally {
            assertEquals(0, run("stop --all", port).exit);
        }
        assertFalse(answers(port), "stop --all stopped it");
        assertEquals(3, run("status", port).exit);
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String command, int port) throws Exception {
        Process p = AuditArchiveS3Test.StandIn.script(port, command.split(" ")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "script finished");
        return new Result(p.exitValue(), out);
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
