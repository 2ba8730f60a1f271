package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code audit.export.finished} v1: the export worker ended an audit export, {@code status} READY
 * (with {@code rows}, {@code bytes} and when the file expires) or FAILED (with a reason fit to show
 * the requester: no SQL, path or credential). The notification function mails {@code requestedBy}
 * the link to {@code GET /api/v1/audit-logs/exports/{exportId}}, never the file's own URL.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuditExportFinished(UUID exportId, @Nullable UUID requestedBy, String status, @Nullable Long rows,
                                  @Nullable Long bytes, @Nullable String error, @Nullable Instant expiresAt) implements EventPayload {
    public static final String READY = "READY";
    public static final String FAILED = "FAILED";
}
