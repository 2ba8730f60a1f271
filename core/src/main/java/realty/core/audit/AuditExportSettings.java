package realty.core.audit;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code realty.audit.exports.*}: the asynchronous audit export (POST /api/v1/audit-logs/exports, run by
 * {@link AuditExportWorker} in the housekeeping function; docs/operations.md, "Exporting the audit log").
 */
@ConfigurationProperties("realty.audit.exports")
public class AuditExportSettings {
    /** Key prefix of the files in the archive; the bucket's lifecycle rule deletes what is under it (infra: exports/). */
    private String prefix = "exports";
    /** How long a file stays downloadable: the bucket's 7-day lifecycle rule on exports/. */
    private Duration keptFor = Duration.ofDays(7);
    /** Validity of the presigned URL that GET /audit-logs/exports/{id} hands out. */
    private Duration linkValidity = Duration.ofMinutes(15);
    /** One export may run this long (below the housekeeping time budget); a longer one fails, asking for shorter ranges. */
    private Duration timeLimit = Duration.ofSeconds(80);
    /** Largest file one export writes: Lambda's /tmp holds 512 MB by default (about a million NDJSON rows). */
    private long maxBytes = 400_000_000L;
    /** A RUNNING export claimed longer ago than this has lost its worker (above the function's 120 s timeout). */
    private Duration staleAfter = Duration.ofMinutes(5);
    /** Claims of one export before it is given up as FAILED (a worker that keeps dying on it). */
    private int maxAttempts = 3;

    public String getPrefix() { return prefix; }
    public void setPrefix(String prefix) { this.prefix = prefix; }
    public Duration getKeptFor() { return keptFor; }
    public void setKeptFor(Duration keptFor) { this.keptFor = keptFor; }
    public Duration getLinkValidity() { return linkValidity; }
    public void setLinkValidity(Duration linkValidity) { this.linkValidity = linkValidity; }
    public Duration getTimeLimit() { return timeLimit; }
    public void setTimeLimit(Duration timeLimit) { this.timeLimit = timeLimit; }
    public long getMaxBytes() { return maxBytes; }
    public void setMaxBytes(long maxBytes) { this.maxBytes = maxBytes; }
    public Duration getStaleAfter() { return staleAfter; }
    public void setStaleAfter(Duration staleAfter) { this.staleAfter = staleAfter; }
    public int getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }

    /** Where an export's file lies in the archive: {@code exports/<company>/<id>.<ext>}. */
    public String keyOf(java.util.UUID company, java.util.UUID id, AuditExport.Format format) {
        return prefix + "/" + company + "/" + id + "." + format.extension;
    }
}
