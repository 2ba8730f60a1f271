package realty.api.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import realty.api.outbox.EventfulTransaction;
import realty.api.security.Access;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.core.audit.AuditArchive;
import realty.core.audit.AuditExport;
import realty.core.audit.AuditExportSettings;
import realty.core.event.Actor;
import realty.core.event.AggregateRef;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.AuditExportDownloaded;
import realty.core.event.payload.AuditExportRequested;
import realty.core.id.TimeOrderedIds;
import realty.core.security.Caller;
import realty.core.tenancy.RowScope;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static realty.api.security.PermissionMatrix.Action.EXPORT;
import static realty.api.security.PermissionMatrix.Resource.AUDIT_LOG;

/**
 * The asynchronous audit export, API side: records a request (PENDING, {@code audit.export.requested}),
 * shows its state, and hands out the file once READY: a presigned S3 URL in AWS, the file itself
 * through the API where the archive is a local folder. Every hand-out is audited
 * ({@code audit.export.downloaded}). Owner and legal only (the matrix's EXPORT on audit log), within
 * their companies: an export of another company is 404.
 */
@Singleton
public class AuditExportService {
    static final String PATH = "/api/v1/audit-logs/exports/";
    /** Unfinished exports a company may have at once: each costs the worker up to its time limit. */
    static final int MAX_OPEN_PER_COMPANY = 5;

    private final AuditExportRepository exports;
    private final EventfulTransaction writes;
    private final Optional<AuditArchive> archive;
    private final AuditExportSettings settings;

    public AuditExportService(AuditExportRepository exports, EventfulTransaction writes, Optional<AuditArchive> archive,
                              AuditExportSettings settings) {
        this.exports = exports;
        this.writes = writes;
        this.archive = archive;
        this.settings = settings;
    }

    /** A ready export's file, as the API serves it: a URL to send the client to, or the local file. */
    public record Download(@Nullable URI redirect, @Nullable Path file, AuditExport.Format format, String fileName) {
    }

    public AuditExportView request(Caller caller, CreateAuditExportRequest body, RequestInfo info) {
        Access.require(caller, AUDIT_LOG, EXPORT);
        if (!body.from().isBefore(body.to())) {
            throw ProblemException.badRequest("empty range", Map.of("to", "must be after from"));
        }
        AuditExport.Format format = format(body.format());
        UUID company = Access.companyOrSole(caller, body.companyId());
        if (archive.isEmpty()) {
            // No archive configured for this API (AWS: REALTY_AUDIT_ARCHIVE_BUCKET): nothing could serve the file.
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", "audit exports are not configured", null);
        }
        UUID id = TimeOrderedIds.next();
        Instant now = Instant.now();
        UUID requester = caller.platformAdmin() ? null : caller.userId();
        String formatName = format.name().toLowerCase(Locale.ROOT);
        EventfulTransaction.Committed<AuditExportView> committed = writes.execute(c -> {
            if (exports.countOpen(RowScope.of(caller), company) >= MAX_OPEN_PER_COMPANY) {
                throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "Business rule violated", "the company already has "
                        + MAX_OPEN_PER_COMPANY + " exports waiting or running; ask again once one has finished", null);
            }
            exports.insert(id, company, requester, body.from(), body.to(), formatName, now);
            EventEnvelope event = EventEnvelope.create(EventType.AUDIT_EXPORT_REQUESTED, company, actor(caller, info), info.requestId(),
                    null, new AggregateRef("audit_export", id.toString()),
                    new AuditExportRequested(id, requester, body.from(), body.to(), formatName));
            return new EventfulTransaction.Result<>(new AuditExportView(id, company, requester, body.from(), body.to(), formatName,
                    "PENDING", null, null, null, now, null, null, null, null, null, null), List.of(event));
        });
        AuditExportView v = committed.value();
        return withEvents(v, committed.events());
    }

    /** The export's state; a READY one comes with a fresh download URL, whose issue is audited. */
    public AuditExportView get(Caller caller, UUID id, RequestInfo info) {
        AuditExportRepository.Row r = find(caller, id);
        String status = status(r);
        if (!status.equals("READY")) {
            return view(r, status, null, null);
        }
        Optional<URI> presigned = archive.flatMap(a -> a.downloadUrl(r.objectKey(), settings.getLinkValidity()));
        if (presigned.isEmpty()) {
            return view(r, status, PATH + r.id() + "/file", null); // the local folder: the API serves the file itself
        }
        audited(caller, r, AuditExportDownloaded.PRESIGNED_URL, info);
        return view(r, status, presigned.get().toString(), Instant.now().plus(settings.getLinkValidity()));
    }

    /** The file of a READY export: 409 before, 410 once expired; the hand-out is audited. */
    public Download download(Caller caller, UUID id, RequestInfo info) {
        AuditExportRepository.Row r = find(caller, id);
        String status = status(r);
        if (status.equals("EXPIRED")) {
            throw new ProblemException(HttpStatus.GONE, "Gone", "the export's file expired at " + r.expiresAt() + "; ask for a new export",
                    null);
        }
        if (!status.equals("READY")) {
            throw ProblemException.conflict("the export is " + status + ", not READY", Map.of("status", status));
        }
        AuditExport.Format format = format(r.format());
        String name = "audit-logs-" + r.rangeFrom().getEpochSecond() + "-" + r.rangeTo().getEpochSecond() + "." + format.extension;
        AuditArchive a = archive.orElseThrow(() -> new ProblemException(HttpStatus.GONE, "Gone", "the export's file is not reachable "
                + "from here", null));
        Optional<URI> presigned = a.downloadUrl(r.objectKey(), settings.getLinkValidity());
        if (presigned.isPresent()) {
            audited(caller, r, AuditExportDownloaded.PRESIGNED_URL, info);
            return new Download(presigned.get(), null, format, name);
        }
        Path file = a.localFile(r.objectKey()).orElseThrow(() -> new ProblemException(HttpStatus.GONE, "Gone",
                "the export's file is no longer there; ask for a new export", null));
        audited(caller, r, AuditExportDownloaded.API, info);
        return new Download(null, file, format, name);
    }

    private AuditExportRepository.Row find(Caller caller, UUID id) {
        Access.require(caller, AUDIT_LOG, EXPORT);
        return exports.find(RowScope.of(caller), id).orElseThrow(() -> ProblemException.notFound("audit export"));
    }

    /** The stored status, or EXPIRED for a READY export whose file is past its lifetime. */
    private static String status(AuditExportRepository.Row r) {
        if (r.status().equals("READY") && r.expiresAt() != null && !Instant.now().isBefore(r.expiresAt())) {
            return "EXPIRED";
        }
        return r.status();
    }

    private void audited(Caller caller, AuditExportRepository.Row r, String via, RequestInfo info) {
        writes.execute(c -> new EventfulTransaction.Result<Void>(null, List.of(EventEnvelope.create(EventType.AUDIT_EXPORT_DOWNLOADED,
                r.companyId(), actor(caller, info), info.requestId(), null, new AggregateRef("audit_export", r.id().toString()),
                new AuditExportDownloaded(r.id(), via)))));
    }

    private static Actor actor(Caller caller, RequestInfo info) {
        return new Actor(caller.actorId(), caller.profileCodes(), null, info.sourceIp(), info.userAgent());
    }

    private static AuditExportView view(AuditExportRepository.Row r, String status, @Nullable String downloadUrl,
                                        @Nullable Instant downloadUrlExpiresAt) {
        return new AuditExportView(r.id(), r.companyId(), r.requestedBy(), r.rangeFrom(), r.rangeTo(), r.format(), status, r.rowCount(),
                r.bytes(), r.error(), r.createdAt(), r.finishedAt(), r.expiresAt(), downloadUrl, downloadUrlExpiresAt,
                status.equals("READY") ? PATH + r.id() + "/file" : null, null);
    }

    private static AuditExportView withEvents(AuditExportView v, List<realty.core.outbox.EventRef> events) {
        return new AuditExportView(v.id(), v.companyId(), v.requestedBy(), v.from(), v.to(), v.format(), v.status(), v.rows(), v.bytes(),
                v.error(), v.createdAt(), v.finishedAt(), v.expiresAt(), v.downloadUrl(), v.downloadUrlExpiresAt(), v.fileUrl(), events);
    }

    static AuditExport.Format format(@Nullable String format) {
        try {
            return format == null ? AuditExport.Format.NDJSON : AuditExport.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("unknown format", Map.of("format", "ndjson or csv"));
        }
    }

}
