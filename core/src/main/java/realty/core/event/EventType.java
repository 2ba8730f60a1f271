package realty.core.event;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The event catalogue (spec/events.md §2): every event the system emits, its current payload
 * version and its AMQP priority. Which queues receive an event is decided by the bindings of
 * {@link realty.core.topology.Topology}, not here.
 */
public enum EventType {
    USER_CREATED("user.created", 1, 5),
    USER_UPDATED("user.updated", 1, 5),
    PROPERTY_CREATED("property.created", 1, 5),
    PROPERTY_UPDATED("property.updated", 1, 5),
    PROPERTY_ASSIGNMENT_CHANGED("property.assignment.changed", 1, 5),
    PROPERTIES_IMPORTED("properties.imported", 1, 5),
    SALE_COMPLETED("sale.completed", 1, 5),
    SALE_CANCELLED("sale.cancelled", 1, 5),
    COMMISSION_SPLIT_REQUESTED("commission.split.requested", 1, 9),
    COMMISSION_CALCULATED("commission.calculated", 1, 5),
    COMMISSION_PAID("commission.paid", 1, 5),
    COMMISSION_CANCELLED("commission.cancelled", 1, 5),
    SECURITY_ACCESS_DENIED("security.access_denied", 1, 5);

    private static final Map<String, EventType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::typeName, Function.identity()));

    private final String typeName;
    private final int version;
    private final int priority;

    EventType(String typeName, int version, int priority) {
        this.typeName = typeName;
        this.version = version;
        this.priority = priority;
    }

    /** The dotted name used as routing key and AMQP {@code type}, e.g. {@code user.created}. */
    public String typeName() {
        return typeName;
    }

    /** Current payload schema version; consumers refuse newer ones. */
    public int version() {
        return version;
    }

    public int priority() {
        return priority;
    }

    public static Optional<EventType> fromName(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }

    @Override
    public String toString() {
        return typeName;
    }
}
