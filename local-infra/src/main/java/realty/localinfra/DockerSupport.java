package realty.localinfra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Decides once per JVM whether a Docker engine answers, so that Testcontainers can be used.
 *
 * <p>Testcontainers is only asked when something hints at an engine (DOCKER_HOST, a Docker socket,
 * a Testcontainers or Docker context configuration), so machines without Docker pay nothing and see
 * no Testcontainers error logs. The question itself runs with a time limit. Set
 * {@code REALTY_LOCAL_INFRA_DOCKER=never} to never use Docker.
 */
final class DockerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(DockerSupport.class);
    private static final long TIMEOUT_SECONDS = 10;

    private static Boolean available;

    private DockerSupport() {
    }

    static synchronized boolean isAvailable() {
        if (available == null) {
            available = detect();
        }
        return available;
    }

    private static boolean detect() {
        String mode = Env.get("REALTY_LOCAL_INFRA_DOCKER", "auto").toLowerCase(Locale.ROOT);
        if (List.of("never", "false", "no", "off", "0").contains(mode)) {
            LOG.debug("Docker disabled by REALTY_LOCAL_INFRA_DOCKER={}", mode);
            return false;
        }
        if (!hasDockerHint()) {
            LOG.debug("no Docker socket, DOCKER_HOST or Docker context found: not using Testcontainers");
            return false;
        }
        FutureTask<Boolean> probe = new FutureTask<>(() -> DockerClientFactory.instance().isDockerAvailable());
        Thread thread = new Thread(probe, "realty-docker-probe");
        thread.setDaemon(true);
        thread.start();
        try {
            boolean answer = probe.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.debug("Docker engine available: {}", answer);
            return answer;
        } catch (TimeoutException e) {
            LOG.warn("Docker engine did not answer within {} s: not using Testcontainers", TIMEOUT_SECONDS);
            probe.cancel(true);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | RuntimeException | LinkageError e) {
            LOG.debug("Docker probe failed: not using Testcontainers", e);
            return false;
        }
    }

    private static boolean hasDockerHint() {
        if (Env.get("DOCKER_HOST") != null) {
            return true;
        }
        Path home = Path.of(System.getProperty("user.home", "/nonexistent"));
        List<Path> sockets = new ArrayList<>(List.of(
                Path.of("/var/run/docker.sock"),
                Path.of("/run/docker.sock"),
                home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock"),
                home.resolve(".colima/default/docker.sock"),
                home.resolve(".rd/docker.sock")));
        String runtimeDir = Env.get("XDG_RUNTIME_DIR");
        if (runtimeDir != null) {
            sockets.add(Path.of(runtimeDir, "docker.sock"));
            sockets.add(Path.of(runtimeDir, ".docker/run/docker.sock"));
        }
        for (Path socket : sockets) {
            if (Files.exists(socket)) {
                return true;
            }
        }
        return fileContains(home.resolve(".testcontainers.properties"), "docker.host")
                || fileContains(home.resolve(".docker/config.json"), "currentContext");
    }

    private static boolean fileContains(Path file, String text) {
        try {
            return Files.isRegularFile(file) && Files.readString(file).contains(text);
        } catch (Exception e) {
            return false;
        }
    }
}
