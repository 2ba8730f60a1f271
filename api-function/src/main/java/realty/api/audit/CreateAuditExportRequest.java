package realty.api.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code POST /api/v1/audit-logs/exports}: the audit rows of [{@code from}, {@code to}) of one company.
 *
 * @param format    ndjson (default) or csv
 * @param companyId required when the caller belongs to more than one company (or is the platform admin)
 */
@Serdeable
@Schema(example = """
        {"from": "2026-01-01T00:00:00Z", "to": "2026-07-01T00:00:00Z", "format": "csv"}""")
public record CreateAuditExportRequest(@NotNull Instant from, @NotNull Instant to, @Nullable String format, @Nullable UUID companyId) {
}
