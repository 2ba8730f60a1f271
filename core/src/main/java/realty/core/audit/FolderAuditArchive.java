package realty.core.audit;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** The archive as a folder ({@code realty.audit.archive-folder}): the local runner and tests. */
@Singleton
@Requires(property = "realty.audit.archive-folder")
public class FolderAuditArchive implements AuditArchive {
    private final Path root;

    public FolderAuditArchive(AuditRetentionSettings settings) {
        this.root = Path.of(settings.getArchiveFolder());
    }

    @Override
    public void store(String key, Path file) throws IOException {
        Path target = root.resolve(key);
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        // A reader never sees half a file: the copy becomes the archive in one rename.
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public Optional<Path> localFile(String key) {
        Path file = root.resolve(key).normalize();
        return file.startsWith(root.normalize()) && Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public String locationOf(String key) {
        return root.resolve(key).toString();
    }
}
