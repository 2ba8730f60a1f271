package realty.core.event;

import realty.core.event.payload.AuditExportDownloaded;
import realty.core.event.payload.AuditExportFinished;
import realty.core.event.payload.AuditExportRequested;
import realty.core.event.payload.BulkOperationFinished;
import realty.core.event.payload.CommissionCalculated;
import realty.core.event.payload.CommissionCancelled;
import realty.core.event.payload.CommissionPaid;
import realty.core.event.payload.CommissionRecalculated;
import realty.core.event.payload.CompanyUpdated;
import realty.core.event.payload.CommissionSplitRequested;
import realty.core.event.payload.EventPayload;
import realty.core.event.payload.PasswordChanged;
import realty.core.event.payload.PasswordResetRequested;
import realty.core.event.payload.PropertiesImported;
import realty.core.event.payload.PropertyAssignmentChanged;
import realty.core.event.payload.PropertyCreated;
import realty.core.event.payload.PropertyUpdated;
import realty.core.event.payload.SaleCancelled;
import realty.core.event.payload.SaleCompleted;
import realty.core.event.payload.SecurityAccessDenied;
import realty.core.event.payload.SecurityLoginFailed;
import realty.core.event.payload.SecurityLoginLocked;
import realty.core.event.payload.UserAnonymised;
import realty.core.event.payload.UserCreated;
import realty.core.event.payload.UserInvitationAccepted;
import realty.core.event.payload.UserInvited;
import realty.core.event.payload.UserUpdated;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The event catalogue (spec/events.md §2): every event the system emits, its current payload
 * version, the record of each payload version it can read and its AMQP priority. Which queues receive an event is decided by the bindings of
 * {@link realty.core.topology.Topology}, not here.
 */
public enum EventType {
    USER_CREATED("user.created", 1, 5, Map.of(1, UserCreated.class)),
    USER_UPDATED("user.updated", 1, 5, Map.of(1, UserUpdated.class)),
    USER_INVITED("user.invited", 1, 5, Map.of(1, UserInvited.class)),
    USER_INVITATION_ACCEPTED("user.invitation.accepted", 1, 5, Map.of(1, UserInvitationAccepted.class)),
    USER_ANONYMISED("user.anonymised", 1, 5, Map.of(1, UserAnonymised.class)),
    PROPERTY_CREATED("property.created", 1, 5, Map.of(1, PropertyCreated.class)),
    PROPERTY_UPDATED("property.updated", 1, 5, Map.of(1, PropertyUpdated.class)),
    PROPERTY_ASSIGNMENT_CHANGED("property.assignment.changed", 1, 5, Map.of(1, PropertyAssignmentChanged.class)),
    PROPERTIES_IMPORTED("properties.imported", 1, 5, Map.of(1, PropertiesImported.class)),
    SALE_COMPLETED("sale.completed", 1, 5, Map.of(1, SaleCompleted.class)),
    SALE_CANCELLED("sale.cancelled", 1, 5, Map.of(1, SaleCancelled.class)),
    COMMISSION_SPLIT_REQUESTED("commission.split.requested", 1, 9, Map.of(1, CommissionSplitRequested.class)),
    COMMISSION_CALCULATED("commission.calculated", 1, 5, Map.of(1, CommissionCalculated.class)),
    COMMISSION_PAID("commission.paid", 1, 5, Map.of(1, CommissionPaid.class)),
    COMMISSION_CANCELLED("commission.cancelled", 1, 5, Map.of(1, CommissionCancelled.class)),
    SECURITY_ACCESS_DENIED("security.access_denied", 1, 5, Map.of(1, SecurityAccessDenied.class)),
    SECURITY_LOGIN_FAILED("security.login_failed", 1, 5, Map.of(1, SecurityLoginFailed.class)),
    SECURITY_LOGIN_LOCKED("security.login_locked", 1, 5, Map.of(1, SecurityLoginLocked.class)),
    USER_PASSWORD_RESET_REQUESTED("user.password_reset_requested", 1, 5, Map.of(1, PasswordResetRequested.class)),
    USER_PASSWORD_CHANGED("user.password_changed", 1, 5, Map.of(1, PasswordChanged.class)),
    COMPANY_UPDATED("company.updated", 1, 5, Map.of(1, CompanyUpdated.class)),
    COMMISSION_RECALCULATED("commission.recalculated", 1, 5, Map.of(1, CommissionRecalculated.class)),
    BULK_OPERATION_FINISHED("bulk_operation.finished", 1, 5, Map.of(1, BulkOperationFinished.class)),
    AUDIT_EXPORT_REQUESTED("audit.export.requested", 1, 5, Map.of(1, AuditExportRequested.class)),
    AUDIT_EXPORT_FINISHED("audit.export.finished", 1, 5, Map.of(1, AuditExportFinished.class)),
    AUDIT_EXPORT_DOWNLOADED("audit.export.downloaded", 1, 5, Map.of(1, AuditExportDownloaded.class));

    private static final Map<String, EventType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::typeName, Function.identity()));

    private final String typeName;
    private final int version;
    private final int priority;
    private final Map<Integer, Class<? extends EventPayload>> payloadRecords;

    /**
     * @param payloadRecords the record of every payload version consumers can read; a new version adds
     *                       its record here and keeps the old ones while old events may still be in flight
     */
    EventType(String typeName, int version, int priority, Map<Integer, Class<? extends EventPayload>> payloadRecords) {
        this.typeName = typeName;
        this.version = version;
        this.priority = priority;
        this.payloadRecords = payloadRecords;
        if (!payloadRecords.containsKey(version)) {
            throw new IllegalStateException(typeName + " has no payload record for its current version " + version);
        }
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

    /** The record of this type's payload in {@code version}; empty for a version this build cannot read. */
    public Optional<Class<? extends EventPayload>> payloadRecord(int version) {
        return Optional.ofNullable(payloadRecords.get(version));
    }

    /** Every payload version this build can read, with its record. */
    public Map<Integer, Class<? extends EventPayload>> payloadRecords() {
        return payloadRecords;
    }

    public static Optional<EventType> fromName(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }

    @Override
    public String toString() {
        return typeName;
    }
}
