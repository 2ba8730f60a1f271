package realty.core.topology;

import realty.core.event.EventType;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static realty.core.event.EventType.AUDIT_EXPORT_DOWNLOADED;
import static realty.core.event.EventType.AUDIT_EXPORT_FINISHED;
import static realty.core.event.EventType.AUDIT_EXPORT_REQUESTED;
import static realty.core.event.EventType.BULK_OPERATION_FINISHED;
import static realty.core.event.EventType.COMMISSION_CALCULATED;
import static realty.core.event.EventType.COMMISSION_CANCELLED;
import static realty.core.event.EventType.COMMISSION_PAID;
import static realty.core.event.EventType.COMMISSION_RECALCULATED;
import static realty.core.event.EventType.COMPANY_UPDATED;
import static realty.core.event.EventType.COMMISSION_SPLIT_REQUESTED;
import static realty.core.event.EventType.PROPERTIES_IMPORTED;
import static realty.core.event.EventType.PROPERTY_ASSIGNMENT_CHANGED;
import static realty.core.event.EventType.PROPERTY_CREATED;
import static realty.core.event.EventType.PROPERTY_UPDATED;
import static realty.core.event.EventType.SALE_CANCELLED;
import static realty.core.event.EventType.SALE_COMPLETED;
import static realty.core.event.EventType.SECURITY_ACCESS_DENIED;
import static realty.core.event.EventType.SECURITY_LOGIN_FAILED;
import static realty.core.event.EventType.SECURITY_LOGIN_LOCKED;
import static realty.core.event.EventType.USER_CREATED;
import static realty.core.event.EventType.USER_INVITATION_ACCEPTED;
import static realty.core.event.EventType.USER_INVITED;
import static realty.core.event.EventType.USER_PASSWORD_CHANGED;
import static realty.core.event.EventType.USER_PASSWORD_RESET_REQUESTED;
import static realty.core.event.EventType.USER_ANONYMISED;
import static realty.core.event.EventType.USER_UPDATED;

/**
 * The RabbitMQ topology of spec/events.md §3, the one definition the broker declaration, the
 * expected consumers of an event, the local event sources and the infrastructure checks all read.
 * A queue is bound only to the event types its function handles today.
 */
public final class Topology {
    /** Durable topic exchange; routing key = event type. */
    public static final String EXCHANGE = "events";

    public static final String AUDIT = "audit";
    public static final String COMMISSION = "commission";
    public static final String NOTIFICATION = "notification";

    private static final Topology STANDARD = new Topology(List.of(
            new WorkQueue("commission_events", COMMISSION, 10, Duration.ofHours(1),
                    Set.of(COMMISSION_SPLIT_REQUESTED),
                    new RetryPolicy(3, List.of(Duration.ofSeconds(1), Duration.ofSeconds(5)))),
            new WorkQueue("audit_events", AUDIT, 5, Duration.ofHours(24),
                    Set.of(USER_CREATED, USER_UPDATED, USER_ANONYMISED, USER_INVITED, USER_INVITATION_ACCEPTED, PROPERTY_CREATED, PROPERTY_UPDATED, PROPERTY_ASSIGNMENT_CHANGED,
                            PROPERTIES_IMPORTED, SECURITY_ACCESS_DENIED, SALE_COMPLETED, SALE_CANCELLED, COMMISSION_CALCULATED,
                            COMMISSION_PAID, COMMISSION_CANCELLED, SECURITY_LOGIN_FAILED, SECURITY_LOGIN_LOCKED,
                            USER_PASSWORD_RESET_REQUESTED, USER_PASSWORD_CHANGED, COMPANY_UPDATED, COMMISSION_RECALCULATED,
                            AUDIT_EXPORT_REQUESTED, AUDIT_EXPORT_FINISHED, AUDIT_EXPORT_DOWNLOADED),
                    new RetryPolicy(5, List.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
                            Duration.ofSeconds(30), Duration.ofMinutes(2)))),
            new WorkQueue("notification_events", NOTIFICATION, 3, Duration.ofDays(7),
                    Set.of(USER_CREATED, USER_INVITED, PROPERTY_ASSIGNMENT_CHANGED, PROPERTIES_IMPORTED, COMMISSION_CALCULATED, COMMISSION_PAID,
                            COMMISSION_CANCELLED, USER_PASSWORD_RESET_REQUESTED, BULK_OPERATION_FINISHED, AUDIT_EXPORT_FINISHED),
                    new RetryPolicy(6, List.of(Duration.ofSeconds(5), Duration.ofSeconds(30),
                            Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30))))));

    private final List<WorkQueue> workQueues;

    public Topology(List<WorkQueue> workQueues) {
        this.workQueues = List.copyOf(workQueues);
    }

    /** The topology with the built-in retry policies. */
    public static Topology standard() {
        return STANDARD;
    }

    public List<WorkQueue> workQueues() {
        return workQueues;
    }

    public WorkQueue queueOfFunction(String function) {
        return workQueues.stream().filter(q -> q.function().equals(function)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no work queue for function " + function));
    }

    public Optional<WorkQueue> queueNamed(String name) {
        return workQueues.stream().filter(q -> q.name().equals(name)).findFirst();
    }

    /** The consumers an event of this type must reach before it counts as PROCESSED. */
    public List<String> expectedConsumers(EventType type) {
        return workQueues.stream().filter(q -> q.receives(type)).map(WorkQueue::function).toList();
    }

    public Topology withRetryPolicy(String function, RetryPolicy policy) {
        return new Topology(workQueues.stream()
                .map(q -> q.function().equals(function) ? q.withRetry(policy) : q).toList());
    }
}
