package realty.localinfra;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A RabbitMQ broker (with the management plugin) for the local runner and for tests: an external one
 * named by the environment, a Testcontainers container when a Docker engine answers, or else the
 * project's own broker run by {@code scripts/rabbitmq.sh} (installed from Debian when missing).
 */
public final class LocalRabbitMq implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRabbitMq.class);

    /** Docker image used when a Docker engine answers. */
    static final String IMAGE = "rabbitmq:3.13-management";

    static final String SCRIPT = "scripts/rabbitmq.sh";
    private static final long SCRIPT_TIMEOUT_MINUTES = 15;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

    private static LocalRabbitMq shared;

    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final String managementUri;
    private final String description;
    private final AutoCloseable container;
    private final boolean sharedInstance;
    private final AtomicBoolean closed = new AtomicBoolean();
    // HTTP/1.1: the default h2c upgrade attempt breaks requests with a body on RabbitMQ's web server.
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private LocalRabbitMq(String host, int port, String username, String password, String managementUri,
                          String description, AutoCloseable container, boolean sharedInstance) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.managementUri = stripTrailingSlash(managementUri);
        this.description = description;
        this.container = container;
        this.sharedInstance = sharedInstance;
    }

    /**
     * Starts (or connects to) a broker.
     *
     * <p>Env {@code REALTY_AMQP_URI} ({@code amqp://user:pass@host:port}) + {@code REALTY_RABBITMQ_MANAGEMENT_URI}
     * (default {@code http://host:15672}) if set; else Testcontainers {@code rabbitmq:3.13-management} when a
     * Docker engine answers; else runs {@code scripts/rabbitmq.sh start} (found by walking up from the working
     * directory and from the location of this class, or named by {@code REALTY_RABBITMQ_SCRIPT}) and uses
     * 127.0.0.1:5672 / 15672 (or {@code REALTY_AMQP_PORT} / {@code REALTY_RABBITMQ_MGMT_PORT}) with guest/guest.
     *
     * @return the broker; close it to stop what was started (only a container is ever stopped)
     */
    public static LocalRabbitMq start() {
        return start(false);
    }

    /**
     * One broker per JVM for tests, started on first use. A container is stopped by a shutdown hook;
     * its {@link #close()} does nothing, since other tests share it.
     *
     * @return the JVM-wide broker
     */
    public static synchronized LocalRabbitMq shared() {
        if (shared == null) {
            LocalRabbitMq rabbit = start(true);
            if (rabbit.container != null) {
                Runtime.getRuntime().addShutdownHook(new Thread(rabbit::stop, "realty-local-rabbitmq-stop"));
            }
            shared = rabbit;
        }
        return shared;
    }

    /** @return the AMQP host */
    public String host() {
        return host;
    }

    /** @return the AMQP port */
    public int port() {
        return port;
    }

    /** @return the AMQP and management user */
    public String username() {
        return username;
    }

    /** @return the password of {@link #username()} */
    public String password() {
        return password;
    }

    /** @return base URI of the management HTTP API, without a trailing slash, e.g. {@code http://127.0.0.1:15672} */
    public String managementUri() {
        return managementUri;
    }

    /** @return what runs where, e.g. {@code "local RabbitMQ (scripts/rabbitmq.sh) on 127.0.0.1:5672"} */
    public String description() {
        return description;
    }

    /**
     * Creates a virtual host through the management HTTP API ({@code PUT /api/vhosts/{name}}, then
     * {@code PUT /api/permissions/{vhost}/{user}} with {@code .* .* .*} for {@link #username()}),
     * for test isolation. Creating an existing virtual host is not an error.
     *
     * @param name the virtual host's name (any characters; URL-encoded here)
     */
    public void createVirtualHost(String name) {
        requireName(name);
        String vhost = encode(name);
        management("PUT", "/api/vhosts/" + vhost, "{}", false);
        management("PUT", "/api/permissions/" + vhost + "/" + encode(username),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}", false);
    }

    /**
     * Deletes a virtual host and everything in it through the management HTTP API
     * ({@code DELETE /api/vhosts/{name}}); a missing virtual host is not an error.
     *
     * @param name the virtual host's name
     */
    public void deleteVirtualHost(String name) {
        requireName(name);
        management("DELETE", "/api/vhosts/" + encode(name), null, true);
    }

    /**
     * Stops only what this object started itself (a container); never the broker of
     * {@code scripts/rabbitmq.sh}, which other processes may share. Does nothing for {@link #shared()}.
     */
    @Override
    public void close() {
        if (sharedInstance) {
            LOG.debug("close() on the shared RabbitMQ ignored; it stops when the JVM exits");
            return;
        }
        stop();
    }

    @Override
    public String toString() {
        return description;
    }

    private void stop() {
        if (container == null || !closed.compareAndSet(false, true)) {
            return;
        }
        try {
            container.close();
            LOG.debug("stopped {}", description);
        } catch (Exception e) {
            LOG.warn("could not stop {}: {}", description, e.toString());
        }
    }

    private void management(String method, String path, String json, boolean notFoundIsFine) {
        String credentials = Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(managementUri + path))
                .timeout(HTTP_TIMEOUT)
                .header("Authorization", "Basic " + credentials);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + managementUri + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + managementUri + path + " interrupted", e);
        }
        int status = response.statusCode();
        if (status / 100 != 2 && !(notFoundIsFine && status == 404)) {
            throw new IllegalStateException(method + " " + managementUri + path + " answered " + status + ": "
                    + response.body());
        }
    }

    private static LocalRabbitMq start(boolean sharedInstance) {
        long begin = System.nanoTime();
        LocalRabbitMq rabbit;
        String uri = Env.get("REALTY_AMQP_URI");
        if (uri != null) {
            rabbit = fromUri(uri, Env.get("REALTY_RABBITMQ_MANAGEMENT_URI"), sharedInstance);
        } else if (DockerSupport.isAvailable()) {
            rabbit = startContainer(sharedInstance);
        } else {
            rabbit = startWithScript(sharedInstance);
        }
        LOG.info("using {} (ready in {} ms)", rabbit.description,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        return rabbit;
    }

    static LocalRabbitMq fromUri(String amqpUri, String managementUri, boolean sharedInstance) {
        URI uri;
        try {
            uri = new URI(amqpUri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("REALTY_AMQP_URI is not a URI: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!(scheme.equals("amqp") || scheme.equals("amqps")) || uri.getHost() == null) {
            throw new IllegalArgumentException("REALTY_AMQP_URI must look like amqp://user:pass@host:port");
        }
        String user = "guest";
        String pass = "guest";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            pass = parts.length > 1 ? decode(parts[1]) : "";
        }
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("amqps") ? 5671 : 5672;
        String management = managementUri != null ? managementUri : "http://" + uri.getHost() + ":15672";
        return new LocalRabbitMq(uri.getHost(), port, user, pass, management,
                "external RabbitMQ at " + uri.getHost() + ":" + port, null, sharedInstance);
    }

    private static LocalRabbitMq startContainer(boolean sharedInstance) {
        RabbitMQContainer container = new RabbitMQContainer(DockerImageName.parse(IMAGE));
        container.start();
        return new LocalRabbitMq(container.getHost(), container.getAmqpPort(), container.getAdminUsername(),
                container.getAdminPassword(), container.getHttpUrl(),
                "Testcontainers " + IMAGE + " on " + container.getHost() + ":" + container.getAmqpPort(),
                container::stop, sharedInstance);
    }

    private static LocalRabbitMq startWithScript(boolean sharedInstance) {
        Path script = findScript();
        int port = Env.port("REALTY_AMQP_PORT", 5672);
        int managementPort = Env.port("REALTY_RABBITMQ_MGMT_PORT", 15672);
        runScript(script, "start");
        return new LocalRabbitMq("127.0.0.1", port, "guest", "guest", "http://127.0.0.1:" + managementPort,
                "local RabbitMQ (" + script + ") on 127.0.0.1:" + port, null, sharedInstance);
    }

    private static void runScript(Path script, String command) {
        Path output = null;
        try {
            output = Files.createTempFile("realty-rabbitmq-", ".log");
            Process process = new ProcessBuilder("bash", script.toString(), command)
                    .directory(script.getParent().getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(SCRIPT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " " + command + " did not finish within "
                        + SCRIPT_TIMEOUT_MINUTES + " minutes:\n" + Files.readString(output));
            }
            String text = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " " + command + " failed (exit " + process.exitValue()
                        + "):\n" + text);
            }
            LOG.debug("{} {}:\n{}", script, command, text);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + script + " " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script + " " + command, e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }

    /**
     * Finds {@code scripts/rabbitmq.sh}: {@code REALTY_RABBITMQ_SCRIPT} if set, else the first directory
     * holding it when walking up from the working directory, then from this class's jar or classes directory.
     */
    static Path findScript() {
        String explicit = Env.get("REALTY_RABBITMQ_SCRIPT");
        if (explicit != null) {
            Path path = Path.of(explicit).toAbsolutePath();
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException("REALTY_RABBITMQ_SCRIPT=" + explicit + " is not a file");
            }
            return path;
        }
        Set<Path> starts = new LinkedHashSet<>();
        starts.add(Path.of("").toAbsolutePath());
        codeLocation().ifPresent(starts::add);
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(SCRIPT);
                if (Files.isRegularFile(candidate)) {
                    return candidate.normalize();
                }
            }
        }
        throw new IllegalStateException("cannot find " + SCRIPT + " walking up from " + new ArrayList<>(starts)
                + "; run from inside the realty repository, point REALTY_RABBITMQ_SCRIPT at it,"
                + " or set REALTY_AMQP_URI to an existing broker");
    }

    private static Optional<Path> codeLocation() {
        try {
            CodeSource source = LocalRabbitMq.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            return Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("virtual host name must not be empty");
        }
    }

    /** Encodes one path segment: unlike form encoding, a space becomes %20 and '/' becomes %2F. */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Percent-decodes URI user info ('+' stays a plus, unlike form decoding). */
    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String stripTrailingSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
}
