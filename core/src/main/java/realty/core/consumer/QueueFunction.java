package realty.core.consumer;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.config.FunctionContexts;
import realty.core.topology.Topology;
import realty.core.topology.WorkQueue;

/**
 * The Lambda handler of a queue function: decode the batch, hand it to the {@link ConsumerRuntime}
 * with this function's {@link EventHandler}, return. Throwing fails the invocation, and the
 * RabbitMQ event source then redelivers the whole batch.
 */
public abstract class QueueFunction extends MicronautRequestHandler<RabbitMQEvent, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(QueueFunction.class);

    @Inject
    protected ConsumerRuntime runtime;
    @Inject
    protected Topology topology;

    protected QueueFunction() {
        super();
    }

    protected QueueFunction(ApplicationContext context) {
        super(context);
    }

    /** The consumer name, e.g. {@code audit}; also the Micronaut environment of the function. */
    protected abstract String function();

    protected abstract EventHandler handler();

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return FunctionContexts.configure(super.newApplicationContextBuilder(), function());
    }

    @Override
    public Void execute(RabbitMQEvent event) {
        WorkQueue queue = topology.queueOfFunction(function());
        BatchReport report = runtime.process(event, queue, handler());
        LOG.debug("{} batch: {}", function(), report);
        return null;
    }
}
