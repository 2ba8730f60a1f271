package realty.notification;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import realty.core.config.FunctionContexts;
import realty.core.housekeeping.Housekeeping;
import realty.core.housekeeping.HousekeepingSettings;
import realty.core.observability.EventMetrics;
import realty.core.topology.Topology;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scheduled Lambda handler (every five minutes): one {@link Housekeeping} run of every
 * {@link realty.core.housekeeping.HousekeepingTask} in this jar. It lives in the notification jar
 * because sending held summary mails needs its SMTP relay and templates; the prunes only need the
 * database. Returns what each task did; fails the invocation when a task failed.
 */
public class HousekeepingFunction extends MicronautRequestHandler<ScheduledEvent, Map<String, Object>> {
    private static final Logger LOG = LoggerFactory.getLogger(HousekeepingFunction.class);

    @Inject
    protected Housekeeping housekeeping;
    @Inject
    protected HousekeepingSettings settings;
    @Inject
    protected EventMetrics metrics;

    public HousekeepingFunction() {
        super();
    }

    public HousekeepingFunction(ApplicationContext context) {
        super(context);
    }

    @Override
    protected ApplicationContextBuilder newApplicationContextBuilder() {
        return FunctionContexts.configure(super.newApplicationContextBuilder(), Topology.NOTIFICATION);
    }

    @Override
    public Map<String, Object> execute(ScheduledEvent input) {
        try {
            // The budget (realty.housekeeping.time-budget) stays below the function's timeout, so a
            // run with much to do stops between batches and the next run carries on.
            List<Housekeeping.TaskRun> runs = housekeeping.run(Instant.now().plus(settings.getTimeBudget()));
            Map<String, Object> report = new LinkedHashMap<>();
            for (Housekeeping.TaskRun r : runs) {
                report.put(r.task(), Map.of("outcome", r.outcome().name(), "count", r.count(), "millis", r.millis()));
            }
            LOG.info("housekeeping run: {}", report);
            if (runs.stream().anyMatch(r -> r.outcome() == Housekeeping.Outcome.FAILED)) {
                throw new IllegalStateException("housekeeping: a task failed " + report);
            }
            return report;
        } finally {
            metrics.flush();
        }
    }
}
