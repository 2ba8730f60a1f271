package realty.core.event.payload;

/**
 * The payload of an event: one record per event type and payload version (spec/events.md §1–2).
 * {@link realty.core.event.EventType} maps each (type, version) to its record; the JSON field names
 * are the record components' names, and docs/events/*.schema.json are generated from them.
 * {@link UnreadablePayload} stands for a payload this build cannot read, which consumers dead-letter.
 */
public sealed interface EventPayload permits UserCreated, UserUpdated, UserAnonymised, UserInvited, UserInvitationAccepted, PropertyCreated, PropertyUpdated,
        PropertyAssignmentChanged, PropertiesImported, SaleCompleted, SaleCancelled, CommissionSplitRequested,
        CommissionCalculated, CommissionPaid, CommissionCancelled, SecurityAccessDenied, DeadLetterActioned,
        SecurityLoginFailed, SecurityLoginLocked, PasswordResetRequested, PasswordChanged, 
        CompanyUpdated, CommissionRecalculated, BulkOperationFinished, AuditExportRequested,
        AuditExportFinished, AuditExportDownloaded, UnreadablePayload {
}
