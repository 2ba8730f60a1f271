package realty.core.event.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code audit.export.requested} v1: an owner or legal user (or the platform admin: no
 * {@code requestedBy}) asked for the audit rows of [{@code from}, {@code to}) of the event's company as a
 * file ({@code format}: ndjson or csv). The LGPD audit trail of the request; the housekeeping
 * function's export worker picks the request up from the audit_exports table.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AuditExportRequested(UUID exportId, @Nullable UUID requestedBy, Instant from, Instant to, String format)
        implements EventPayload {
}
