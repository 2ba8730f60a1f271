package realty.localinfra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which virtual hosts {@code scripts/rabbitmq.sh clean} deletes, decided from the management API's
 * answers: those test and benchmark runs name, with no connection open, and nothing else. No broker is
 * involved (the clean itself must not run beside other test runs' set-up).
 */
class RabbitMqCleanSelectionTest {
    private static final String UUID = "8c3e9828-3135-41c3-983e-f38632a49f0b";
    private static final String VHOSTS = "[{\"name\":\"/\"},{\"name\":\"test-" + UUID + "\"},{\"name\":\"test-busy-" + UUID + "\"},"
            + "{\"name\":\"audit-function-" + UUID + "\"},{\"name\":\"mgmt test/" + UUID + "\"},{\"name\":\"bench-p3s-59de1723\"},"
            + "{\"name\":\"t-run\"},{\"name\":\"runtime-check-api-4242_0a1b2c3d\"},{\"name\":\"realty\"},{\"name\":\"t-\\\"quoted\"},"
            + "{\"name\":\"mine-" + UUID.substring(0, 8) + "\"}]";

    private static List<String> stale(String vhosts, String connections) throws Exception {
        Process p = new ProcessBuilder("bash", LocalRabbitMq.findScript().toString(), "_stale-vhosts", connections)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(vhosts.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script did not end");
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }

    @Test
    void testVirtualHostsWithoutConnectionsAreSelectedAndNoOtherName() throws Exception {
        String connections = "[{\"vhost\":\"test-busy-" + UUID + "\"},{\"vhost\":\"test-busy-" + UUID + "\"},{\"vhost\":\"realty\"}]";
        assertEquals(List.of("test-" + UUID, "audit-function-" + UUID, "mgmt test/" + UUID, "bench-p3s-59de1723", "t-run",
                "runtime-check-api-4242_0a1b2c3d"), stale(VHOSTS, connections));
    }

    @Test
    void nothingIsSelectedWhereNoTestVirtualHostIsLeft() throws Exception {
        assertEquals(List.of(), stale("[{\"name\":\"/\"},{\"name\":\"realty\"}]", "[]"));
        assertEquals(List.of(), stale("[]", "[]"));
    }
}
