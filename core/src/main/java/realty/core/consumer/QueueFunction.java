package realty.core.consumer;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.LambdaApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import io.micronaut.inject.qualifiers.Qualifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.config.FunctionContexts;
import realty.core.observability.EventMetrics;
import realty.core.topology.Topology;

/**
 * The one Lambda handler of every queue function, configured by the function's name: it finds the
 * {@link EventHandler} bean {@code @Named} after the function, hands each batch to a
 * {@link RabbitMQBatchMessageHandler}, flushes the invocation's metrics and returns. A function
 * module holds only its handler (and its observers); its named subclass of this class exists so
 * that the handler string of Terraform and SAM says which jar and which queue it is.
 *
 * <p>Failing the invocation is the only way to have the Amazon MQ event source redeliver a batch
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html), so {@link BatchResult.Redeliver}
 * becomes a {@link BatchFailedException} here.
 */
public class QueueFunction extends MicronautRequestHandler<RabbitMQEvent, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(QueueFunction.class);

    private final String function;
    private volatile RabbitMQBatchMessageHandler batchHandler;

    /** In Lambda: a context of its own, with {@code function} as its environment. */
    protected QueueFunction(String function) {
        super(FunctionContexts.configure(new LambdaApplicationContextBuilder(), function));
        this.function = function;
        // As MicronautRequestHandler's own no-argument path does: close the context (pool, broker) on shutdown.
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, function + "-context-close"));
    }

    /** Locally and in tests: the function on a context started for it ({@link FunctionContexts#start}). */
    public QueueFunction(ApplicationContext context, String function) {
        super(context);
        this.function = function;
    }

    /** The consumer name, e.g. {@code audit}; also the Micronaut environment of the function. */
    public String function() {
        return function;
    }

    /** The function's handler: the {@link EventHandler} bean named after it. Tests wrap it. */
    protected EventHandler handler() {
        return applicationContext.getBean(EventHandler.class, Qualifiers.byName(function));
    }

    /** The per-message hooks and strategy of the loop; a function may add hooks here. */
    protected BatchMessageHandlerBuilder configure(BatchMessageHandlerBuilder builder) {
        return builder;
    }

    @Override
    public Void execute(RabbitMQEvent event) {
        try {
            BatchResult result = batchHandler().processBatch(event);
            if (result instanceof BatchResult.Redeliver r) {
                throw new BatchFailedException(r.reason(), r.cause());
            }
            LOG.debug("{} batch: {}", function, ((BatchResult.Committed) result).report());
            return null;
        } finally {
            // The invocation ends here: its metrics go out as one EMF record, whatever happened.
            applicationContext.getBean(EventMetrics.class).flush();
        }
    }

    private RabbitMQBatchMessageHandler batchHandler() {
        RabbitMQBatchMessageHandler h = batchHandler;
        if (h == null) {
            // Built on first use, not in the constructor: a subclass's handler() may read its own fields.
            h = configure(applicationContext.getBean(BatchMessageHandlerBuilder.class))
                    .buildWithEventHandler(applicationContext.getBean(Topology.class).queueOfFunction(function), handler());
            batchHandler = h;
        }
        return h;
    }
}
