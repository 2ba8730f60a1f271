package realty.api.audit;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import realty.api.security.Access;
import realty.api.web.Page;
import realty.api.web.PageRequest;
import realty.api.web.ProblemException;
import realty.core.audit.AuditExport;
import realty.core.security.Caller;
import realty.core.tenancy.RowScope;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import realty.api.openapi.ApiErrors;

import static realty.api.security.PermissionMatrix.Action.EXPORT;
import static realty.api.security.PermissionMatrix.Action.READ;
import static realty.api.security.PermissionMatrix.Resource.AUDIT_LOG;

/**
 * {@code GET /api/v1/audit-logs}: the LGPD audit log of the caller's companies, filtered, in time
 * order; {@code GET /api/v1/audit-logs/export}: a time range as NDJSON or CSV. Read-only by design.
 */
@Controller("/api/v1/audit-logs")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Tag(name = "Audit logs", description = "The LGPD audit log of the caller's companies. Read-only.")
@ApiErrors.Authenticated
public class AuditLogController {
    /** Lower and upper bounds of "no bound": every audit row lies between them. */
    private static final Instant BEGINNING = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant END = Instant.parse("9999-01-01T00:00:00Z");
    private static final UUID NIL = new UUID(0, 0);

    private final AuditLogRepository logs;
    private final AuditExport export;
    private final TransactionOperations<Connection> tx;
    private final JsonMapper json;
    private final int exportMaxBytes;

    /**
     * @param exportMaxBytes the largest export one response carries: a Lambda behind API Gateway returns
     *                       at most 6 MB (docs/operations.md, "Exporting the audit log")
     */
    public AuditLogController(AuditLogRepository logs, AuditExport export, TransactionOperations<Connection> tx, JsonMapper json,
                              @Value("${realty.audit.export-max-bytes:5000000}") int exportMaxBytes) {
        this.logs = logs;
        this.export = export;
        this.tx = tx;
        this.json = json;
        this.exportMaxBytes = exportMaxBytes;
    }

    @Serdeable
    public record AuditLogView(UUID id, @Nullable UUID companyId, UUID eventId, String eventType, @Nullable String actorUserId,
                               List<String> actorProfiles, @Nullable String actorSystem, String resourceType, String resourceId,
                               Instant occurredAt, Instant recordedAt, @Nullable String requestId, @Nullable String sourceIp,
                               @Nullable String userAgent, Map<String, Object> data) {
    }

    /** Oldest first; {@code from} inclusive, {@code to} exclusive, on occurredAt. The cursor is the last row's (occurredAt, id). */
    @Get
    @Operation(operationId = "listAuditLogs", summary = "List audit log entries",
            description = "Owner, director, legal (and the platform admin). Filters: resource, event type, time range (`from`, `to`: ISO-8601 instants).")
    @ApiErrors.Invalid
    public Page<AuditLogView> list(Caller caller, @Nullable @QueryValue String resourceType, @Nullable @QueryValue String resourceId,
                                   @Nullable @QueryValue String eventType, @Nullable @QueryValue Instant from,
                                   @Nullable @QueryValue Instant to, @Nullable @QueryValue Integer limit,
                                   @Nullable @QueryValue String cursor) {
        Access.require(caller, AUDIT_LOG, READ);
        int size = PageRequest.of(limit, null).limit();
        Position after = Position.decode(cursor);
        Instant lower = from == null ? BEGINNING : from;
        if (after == null || after.at().isBefore(lower)) {
            after = new Position(lower, NIL);
        }
        List<AuditLogView> rows = logs.list(RowScope.of(caller), after.at(), after.id(), to == null ? END : to, resourceType, resourceId,
                eventType, size + 1).stream().map(this::view).toList();
        if (rows.size() <= size) {
            return new Page<>(rows, null);
        }
        AuditLogView last = rows.get(size - 1);
        return new Page<>(rows.subList(0, size), new Position(last.occurredAt(), last.id()).encode());
    }

    /**
     * The rows of [from, to) within the caller's companies, NDJSON (default) or CSV. Read through a
     * server-side cursor; the response is refused with 422 once it would pass
     * {@code realty.audit.export-max-bytes}, so a narrower range is asked for (docs/operations.md).
     */
    @Get("/export")
    public HttpResponse<byte[]> export(Caller caller, @QueryValue Instant from, @QueryValue Instant to,
                                       @Nullable @QueryValue String format) {
        Access.require(caller, AUDIT_LOG, EXPORT);
        if (!from.isBefore(to)) {
            throw ProblemException.badRequest("empty range", Map.of("to", "must be after from"));
        }
        AuditExport.Format f;
        try {
            f = format == null ? AuditExport.Format.NDJSON : AuditExport.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("unknown format", Map.of("format", "ndjson or csv"));
        }
        BoundedBuffer body = new BoundedBuffer(exportMaxBytes);
        try {
            tx.executeRead(status -> export.write(status.getConnection(), RowScope.of(caller), from, to, f, body));
        } catch (RuntimeException e) {
            if (!BoundedBuffer.Full.in(e)) {
                throw e;
            }
            throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "Export too large",
                    "the range holds more than " + exportMaxBytes + " bytes of audit rows, more than one response may carry; "
                            + "export it in shorter ranges, or as a file: POST /api/v1/audit-logs/exports with the same from, to and "
                            + "format", Map.of("to", "choose an earlier end"));
        }
        return HttpResponse.ok(body.toByteArray())
                .contentType(f.contentType + "; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"audit-logs-" + from.getEpochSecond() + "-" + to.getEpochSecond()
                        + "." + f.extension + "\"");
    }

    /** The page cursor: the (occurredAt, id) of the last row returned. */
    record Position(Instant at, UUID id) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((at + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(@Nullable String cursor) {
            if (cursor == null || cursor.isBlank()) {
                return null;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                return new Position(Instant.parse(parts[0]), UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                throw ProblemException.badRequest("invalid cursor", Map.of("cursor", "not a cursor returned by this API"));
            }
        }
    }

    /** The response body, refused past a size instead of growing without end. */
    static final class BoundedBuffer extends ByteArrayOutputStream {
        static final class Full extends RuntimeException {
            Full() {
                super(null, null, false, false);
            }

            /** Whether the transaction template's exception (possibly wrapped) is this one. */
            static boolean in(Throwable e) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof Full) {
                        return true;
                    }
                }
                return false;
            }
        }

        private final int max;

        BoundedBuffer(int max) {
            this.max = max;
        }

        @Override
        public synchronized void write(int b) {
            if (count + 1 > max) {
                throw new Full();
            }
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (count + len > max) {
                throw new Full();
            }
            super.write(b, off, len);
        }
    }

    @SuppressWarnings("unchecked")
    private AuditLogView view(AuditLogRepository.Row r) {
        try {
            return new AuditLogView(r.id(), r.companyId(), r.eventId(), r.eventType(), r.actorUserId(), List.of(r.actorProfiles()),
                    r.actorSystem(), r.resourceType(), r.resourceId(), r.occurredAt(), r.recordedAt(), r.requestId(), r.sourceIp(),
                    r.userAgent(), json.readValue(r.data(), Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
