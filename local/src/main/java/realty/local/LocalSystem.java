package realty.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.rabbitmq.client.ConnectionFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.ApplicationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.api.ApiFunction;
import realty.api.auth.PlatformAdminBootstrap;
import realty.api.outbox.OutboxRelayFunction;
import realty.core.broker.BrokerUnavailableException;
import realty.core.config.FunctionContexts;
import realty.core.consumer.QueueFunction;
import realty.core.invitation.InvitationTokens;
import realty.core.topology.Topology;
import realty.core.topology.TopologyDeclarer;
import realty.core.topology.WorkQueue;
import realty.notification.HousekeepingFunction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The whole system in one process, with the Lambda handler classes: the API behind a local
 * gateway, one local event source per work queue feeding its queue function, and the two scheduled
 * functions on timers as EventBridge Scheduler runs them: the outbox relay every minute (each
 * invocation polling for most of it) and housekeeping every {@code realty.local.housekeeping-interval}
 * (default 5 minutes). It takes an existing PostgreSQL and RabbitMQ ({@link Settings}); {@link LocalMain}
 * provides those for a developer, the tests provide their own. Every function counts its metrics
 * in one Prometheus registry, served at {@code GET /metrics} beside the API.
 */
public final class LocalSystem implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSystem.class);

    /**
     * Where the system runs and how.
     *
     * @param httpPort         0 for any free port
     * @param queueFunctions   function name → handler factory, to replace a queue function (tests); absent = the real one
     * @param extraProperties  added to every function's configuration (e.g. retry delays)
     */
    public record Settings(String jdbcUrl, String dbUsername, String dbPassword,
                           String amqpHost, int amqpPort, String virtualHost, String amqpUsername, String amqpPassword,
                           String httpHost, int httpPort, String jwtSecret, String adminUsername, String adminPassword,
                           int batchSize, Duration batchWindow, boolean startEventSources,
                           Map<String, Function<ApplicationContext, RequestHandler<RabbitMQEvent, ?>>> queueFunctions,
                           Map<String, Object> extraProperties) {
    }

    static {
        // The JDK HTTP server (local gateway, mailbox) otherwise leaves Nagle's algorithm on: a
        // response written as headers then body waits for the client's delayed ACK, ~40 ms a
        // request. Read once when the server classes load, so it must be set before any starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Requests the local gateway serves at once. */
    private static final int GATEWAY_THREADS = 32;
    private final Settings settings;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<ApplicationContext> contexts = new ArrayList<>();
    private final Map<String, RequestHandler<RabbitMQEvent, ?>> handlers = new LinkedHashMap<>();
    private final List<LocalEventSource> sources = new ArrayList<>();
    private final ApplicationContext apiContext;
    private final ApiFunction api;
    private final LocalGateway gateway;
    private final LocalMailServer mailServer;
    private final OutboxRelayFunction relay;
    private final HousekeepingFunction housekeeping;
    private final ScheduledExecutorService schedules = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "local-schedule");
        t.setDaemon(true);
        return t;
    });

    private LocalSystem(Settings settings) throws Exception {
        this.settings = settings;
        Map<String, Object> common = commonProperties(settings);
        mailServer = LocalMailServer.startUnlessConfigured(settings.extraProperties());
        if (mailServer != null) {
            common.putAll(mailServer.properties());
        }

        Map<String, Object> apiProps = new HashMap<>(common);
        apiProps.put("flyway.datasources.default.enabled", true);
        // An authenticated request keeps one connection for its whole duration (ApiFunction), password
        // hash included: one per gateway thread, as a Lambda instance has its pool for its one request.
        apiProps.put("datasources.default.maximum-pool-size", GATEWAY_THREADS);
        apiProps.put("micronaut.security.token.jwt.signatures.secret.generator.secret", settings.jwtSecret());
        apiProps.put("realty.platform-admin.username", settings.adminUsername());
        apiProps.put("realty.platform-admin.password", settings.adminPassword());
        apiContext = start(ApiFunction.FUNCTION, apiProps);
        // What the deploy task does in AWS after the migrations (which ran as the context started).
        apiContext.getBean(PlatformAdminBootstrap.class).ensure();
        try {
            apiContext.getBean(TopologyDeclarer.class).declare();
        } catch (BrokerUnavailableException e) {
            // The API still serves writes; their events wait in the outbox until a broker answers.
            LOG.warn("broker unreachable, topology not declared: {}", e.getMessage());
        }
        api = new ApiFunction(apiContext);

        Topology topology = apiContext.getBean(Topology.class);
        ApplicationContext notificationContext = null;
        for (WorkQueue queue : topology.workQueues()) {
            ApplicationContext ctx = start(queue.function(), common);
            var factory = settings.queueFunctions().getOrDefault(queue.function(), LocalSystem::realQueueFunction);
            handlers.put(queue.function(), factory.apply(ctx));
            if (queue.function().equals(Topology.NOTIFICATION)) {
                notificationContext = ctx;
            }
        }
        // The scheduled functions, each in the context of the jar it is deployed from.
        relay = new OutboxRelayFunction(apiContext);
        housekeeping = new HousekeepingFunction(notificationContext);
        schedules.scheduleAtFixedRate(() -> invokeScheduled(relay, "relay", 70_000), 0, 60, TimeUnit.SECONDS);
        long every = java.time.Duration.parse("PT" + String.valueOf(settings.extraProperties()
                .getOrDefault("realty.local.housekeeping-interval", "5m")).toUpperCase()).toMillis();
        schedules.scheduleAtFixedRate(() -> invokeScheduled(housekeeping, "housekeeping", 120_000), every, every,
                TimeUnit.MILLISECONDS);
        // scripts/local.sh also runs requested audit exports this often (realty.core.audit.AuditExportWorker; AWS: with
        // housekeeping, every 5 minutes), so a developer waits seconds; tests call the worker themselves.
        Object exportEvery = settings.extraProperties().get("realty.local.audit-export-interval");
        if (exportEvery != null) {
            realty.core.audit.AuditExportWorker exports = notificationContext.getBean(realty.core.audit.AuditExportWorker.class);
            long exportMillis = java.time.Duration.parse("PT" + String.valueOf(exportEvery).toUpperCase()).toMillis();
            schedules.scheduleWithFixedDelay(() -> {
                try {
                    exports.runUntil(java.time.Instant.now().plusSeconds(90));
                } catch (Exception e) {
                    LOG.warn("audit export run failed: {}", e.toString());
                }
            }, exportMillis, exportMillis, TimeUnit.MILLISECONDS);
        }
        if (settings.startEventSources()) {
            startEventSources();
        }
        gateway = new LocalGateway(api, settings.httpHost(), settings.httpPort(), GATEWAY_THREADS);
        gateway.serveText("/metrics", "text/plain; version=0.0.4; charset=utf-8", metrics::scrape);
        // the API's OpenAPI document (GET /api/v1/openapi.yml) in Swagger UI, assets from the classpath (docs/api.md)
        gateway.serveClasspath("/swagger-ui", "/META-INF/swagger/views/swagger-ui");
        LOG.info("API on http://{}:{} (its OpenAPI document in Swagger UI: /swagger-ui/)", settings.httpHost(), gateway.port());
    }

    /** One invocation as EventBridge Scheduler makes it; a failed one is logged and the next comes on time. */
    private static void invokeScheduled(RequestHandler<ScheduledEvent, ?> function, String name, long timeoutMillis) {
        ScheduledEvent event = new ScheduledEvent();
        event.setSource("realty.scheduler");
        try {
            function.handleRequest(event, new LocalLambdaContext(name + "-function", timeoutMillis));
        } catch (RuntimeException e) {
            LOG.warn("{} invocation failed: {}", name, e.getMessage());
        }
    }

    public static LocalSystem start(Settings settings) throws Exception {
        return new LocalSystem(settings);
    }

    private static RequestHandler<RabbitMQEvent, ?> realQueueFunction(ApplicationContext ctx) {
        return new QueueFunction(ctx, ctx.getRequiredProperty("realty.function", String.class));
    }

    private ApplicationContext start(String function, Map<String, Object> properties) {
        ApplicationContext ctx = FunctionContexts.configure(ApplicationContext.builder(), function)
                .environments("local")
                .properties(properties)
                .singletons(metrics) // one registry for the whole local system
                .deduceEnvironment(false)
                .start();
        contexts.add(ctx);
        return ctx;
    }

    private static Map<String, Object> commonProperties(Settings s) {
        Map<String, Object> p = new HashMap<>(s.extraProperties());
        p.put("datasources.default.url", s.jdbcUrl());
        p.put("datasources.default.username", s.dbUsername());
        p.put("datasources.default.password", s.dbPassword());
        p.putIfAbsent("datasources.default.maximum-pool-size", 4);
        p.put("realty.broker.uri", "amqp://" + s.amqpHost() + ":" + s.amqpPort());
        p.put("realty.broker.virtual-host", s.virtualHost());
        p.put("realty.broker.username", s.amqpUsername());
        p.put("realty.broker.password", s.amqpPassword());
        // The API and the notification function derive invitation tokens with one secret; locally, from the JWT key.
        // Audit retention archives months past retention here before dropping them (AWS: an S3 bucket; docs/operations.md).
        p.putIfAbsent("realty.audit.archive-folder",
                java.nio.file.Path.of(".local", "audit-archive", s.virtualHost().replace('/', '_')).toAbsolutePath().toString());
        p.putIfAbsent("realty.invitations.secret", InvitationTokens.hash("invitations:" + s.jwtSecret()));
        return p;
    }

    /** Starts one event source per work queue (idempotent). */
    public synchronized void startEventSources() throws Exception {
        if (!sources.isEmpty()) {
            return;
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(settings.amqpHost());
        factory.setPort(settings.amqpPort());
        factory.setVirtualHost(settings.virtualHost());
        factory.setUsername(settings.amqpUsername());
        factory.setPassword(settings.amqpPassword());
        factory.setAutomaticRecoveryEnabled(true);
        Topology topology = apiContext.getBean(Topology.class);
        for (WorkQueue queue : topology.workQueues()) {
            sources.add(new LocalEventSource(factory, queue.name(), handlers.get(queue.function()),
                    queue.function() + "-function", settings.batchSize(), settings.batchWindow()));
        }
    }

    /** Stops consuming (messages wait in their queues). */
    public synchronized void stopEventSources() {
        sources.forEach(LocalEventSource::close);
        sources.clear();
    }

    public String baseUrl() {
        return "http://" + settings.httpHost() + ":" + gateway.port();
    }

    public ApplicationContext apiContext() {
        return apiContext;
    }

    /** The registry every function of this system counts its metrics in. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    public ApiFunction api() {
        return api;
    }

    public RequestHandler<RabbitMQEvent, ?> queueFunction(String function) {
        return handlers.get(function);
    }

    /** The outbox relay's Lambda handler, as the every-minute schedule invokes it. */
    public OutboxRelayFunction relay() {
        return relay;
    }

    /** The housekeeping Lambda handler (the notification jar's), as its schedule invokes it. */
    public HousekeepingFunction housekeeping() {
        return housekeeping;
    }

    /** The embedded SMTP server that captures the mail, or null when {@code realty.mail.host} names a relay. */
    public LocalMailServer mailServer() {
        return mailServer;
    }

    @Override
    public void close() {
        schedules.shutdownNow(); // interrupts a relay invocation between two polls
        try {
            if (!schedules.awaitTermination(15, TimeUnit.SECONDS)) {
                LOG.warn("a scheduled invocation is still running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopEventSources();
        if (gateway != null) {
            gateway.close();
        }
        for (int i = contexts.size() - 1; i >= 0; i--) {
            try {
                contexts.get(i).close();
            } catch (RuntimeException e) {
                LOG.warn("closing a function context: {}", e.getMessage());
            }
        }
        if (mailServer != null) {
            mailServer.close();
        }
    }
}
