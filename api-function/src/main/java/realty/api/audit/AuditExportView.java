package realty.api.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import realty.core.outbox.EventRef;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An asynchronous audit export. {@code status}: PENDING, RUNNING, READY, FAILED, or EXPIRED (READY
 * once the file is gone). When READY: {@code downloadUrl}, a short-lived URL of the file, and
 * {@code fileUrl}, the API path that serves it to a bearer of a token (docs/operations.md).
 */
@Serdeable
@Schema(example = """
        {"id": "0190f3a2-7b1c-7d4e-9a5b-3c2d1e0f4a6b", "companyId": "1f0c9a52-3b7e-4d2a-9c41-6e8b5d7a2f10",
         "requestedBy": "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", "from": "2026-01-01T00:00:00Z", "to": "2026-07-01T00:00:00Z",
         "format": "ndjson", "status": "READY", "rows": 182340, "bytes": 91170000, "error": null,
         "createdAt": "2026-07-02T10:00:00Z", "finishedAt": "2026-07-02T10:01:10Z", "expiresAt": "2026-07-09T10:01:10Z",
         "downloadUrl": "https://realty-audit.s3.sa-east-1.amazonaws.com/exports/1f0c…/0190f3a2….ndjson?X-Amz-Signature=…",
         "downloadUrlExpiresAt": "2026-07-02T10:20:00Z", "fileUrl": "/api/v1/audit-logs/exports/0190f3a2-7b1c-7d4e-9a5b-3c2d1e0f4a6b/file"}""")
public record AuditExportView(UUID id, UUID companyId, @Nullable UUID requestedBy, Instant from, Instant to, String format, String status,
                              @Nullable Long rows, @Nullable Long bytes, @Nullable String error, Instant createdAt,
                              @Nullable Instant finishedAt, @Nullable Instant expiresAt, @Nullable String downloadUrl,
                              @Nullable Instant downloadUrlExpiresAt, @Nullable String fileUrl, @Nullable List<EventRef> events) {
}
