package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/**
 * {@code audit.export.downloaded} v1: a user was handed a ready audit export: {@code via}
 * {@code presigned_url} (GET /audit-logs/exports/{id} issued a short-lived S3 URL; S3 serves the file)
 * or {@code api} (the API streamed the file itself: the local run's folder archive).
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuditExportDownloaded(UUID exportId, String via) implements EventPayload {
    public static final String PRESIGNED_URL = "presigned_url";
    public static final String API = "api";
}
