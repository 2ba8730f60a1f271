package realty.core.audit;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * {@code realty.audit.*}: how long audit rows stay in the database and where they go afterwards.
 * The default of 180 days is the Marco Civil da Internet's minimum for application access logs
 * (Lei 12.965/2014, art. 15: six months); docs/operations.md, "Audit log retention".
 */
@ConfigurationProperties("realty.audit")
public class AuditRetentionSettings {
    /** Rows are kept at least this many days; a month leaves the database once all of it is older. */
    private int retentionDays = 180;
    /** Partitions are created this many months ahead of the current one. */
    private int partitionsAhead = 3;
    /** The archive folder (local runner, tests): {@link FolderAuditArchive}. */
    private String archiveFolder;
    /** The archive bucket (AWS): {@link S3AuditArchive}. */
    private String archiveBucket;
    /** The bucket's region; by default the SDK's region chain (AWS_REGION in Lambda). */
    private String archiveRegion;
    /** An S3-compatible stand-in's base URL (tests), addressed path style; unset in AWS. */
    private String archiveEndpoint;
    /** The key prefix in either. */
    private String archivePrefix = "audit-logs";

    public int getRetentionDays() { return retentionDays; }
    public void setRetentionDays(int retentionDays) { this.retentionDays = retentionDays; }
    public int getPartitionsAhead() { return partitionsAhead; }
    public void setPartitionsAhead(int partitionsAhead) { this.partitionsAhead = partitionsAhead; }
    public String getArchiveFolder() { return archiveFolder; }
    public void setArchiveFolder(String archiveFolder) { this.archiveFolder = archiveFolder; }
    public String getArchiveBucket() { return archiveBucket; }
    public void setArchiveBucket(String archiveBucket) { this.archiveBucket = archiveBucket; }
    public String getArchiveRegion() { return archiveRegion; }
    public void setArchiveRegion(String archiveRegion) { this.archiveRegion = archiveRegion; }
    public String getArchiveEndpoint() { return archiveEndpoint; }
    public void setArchiveEndpoint(String archiveEndpoint) { this.archiveEndpoint = archiveEndpoint; }
    public String getArchivePrefix() { return archivePrefix; }
    public void setArchivePrefix(String archivePrefix) { this.archivePrefix = archivePrefix; }
}
