package realty.infracheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths of the deployment files, found from the test's working directory upwards. */
public final class Repository {
    public static final Path ROOT = findRoot();

    private Repository() {
    }

    public static Path infra() {
        return ROOT.resolve("infra");
    }

    public static Path samTemplate() {
        return ROOT.resolve("template.yaml");
    }

    public static Path events() {
        return ROOT.resolve("events");
    }

    /** Every Terraform file under infra/, skipping provider caches. */
    public static List<Path> terraformFiles() {
        try (Stream<Path> files = Files.walk(infra())) {
            return files.filter(p -> p.toString().endsWith(".tf"))
                    .filter(p -> !p.toString().contains("/.terraform/"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isDirectory(dir.resolve("infra"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("repository root (with template.yaml and infra/) not found above "
                + Path.of("").toAbsolutePath());
    }
}
