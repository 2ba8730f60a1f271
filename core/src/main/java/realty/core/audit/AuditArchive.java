package realty.core.audit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where audit rows past retention are kept once they leave the database: a folder locally
 * ({@link FolderAuditArchive}), an S3 bucket in AWS ({@link S3AuditArchive}). The retention run
 * stores a whole month as one gzip'd NDJSON file before it drops the month's partition.
 */
public interface AuditArchive {

    /**
     * Stores the file under {@code key} (e.g. {@code audit-logs/2026/05/audit_logs_p202605.ndjson.gz}),
     * replacing what the key held: a rerun after a crash stores the same rows again. Returns only once
     * the file is durably stored.
     */
    void store(String key, Path file) throws IOException;

    /** Where an archived key lives, for logs and the operator (a path or an s3:// URI). */
    String locationOf(String key);

    /** As {@link #store(String, Path)}, with the content type a download should get (audit exports). */
    default void store(String key, Path file, String contentType) throws IOException {
        store(key, file);
    }

    /** A short-lived URL anyone holding it can download {@code key} from; empty where the API serves the file. */
    default Optional<URI> downloadUrl(String key, Duration validFor) {
        return Optional.empty();
    }

    /** The stored file itself, where the archive is a local folder; empty otherwise (or when it is gone). */
    default Optional<Path> localFile(String key) {
        return Optional.empty();
    }
}
