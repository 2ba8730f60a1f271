package realty.runtimecheck.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Deployment packages extracted as Lambda extracts them into {@code /var/task}
 * ({@code LAMBDA_TASK_ROOT}): a .zip or .jar is unpacked, and the runtime loads the handler from the
 * classes and resources at its root and the jars in {@code lib/} (CustomerClassLoader of the runtime
 * interface client). One extraction per package and test run, shared by the functions built from it
 * (the task root is read-only in Lambda, so sharing changes nothing).
 */
public final class TaskRoots {
    /** Extractions started, by package: a future, so that the map is not locked while a package extracts. */
    private static final Map<Path, CompletableFuture<Path>> EXTRACTED = new ConcurrentHashMap<>();
    private static final ExecutorService EXTRACTORS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "task-root-extract");
        t.setDaemon(true);
        return t;
    });

    private TaskRoots() {
    }

    /** The task root of a deployment package, extracted under {@code target/task-roots/}. */
    public static Path of(Path deploymentPackage) {
        try {
            return start(deploymentPackage).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Starts extracting every package not extracted yet, each on a thread of its own (most of the
     * time is creating tens of thousands of files, which packages can do side by side), each holding
     * a CPU slot ({@link CpuSlots}) so that no INIT competes with more than one.
     */
    public static CompletableFuture<Void> extractAll(Collection<Path> deploymentPackages) {
        return CompletableFuture.allOf(deploymentPackages.stream().map(TaskRoots::start).toArray(CompletableFuture[]::new));
    }

    private static CompletableFuture<Path> start(Path deploymentPackage) {
        Path pkg = deploymentPackage.toAbsolutePath().normalize();
        if (!Files.isRegularFile(pkg)) {
            throw new IllegalStateException("no deployment package at " + pkg
                    + ": build the function jars first (mvn -B -ntp install -DskipTests at the repository root)");
        }
        return EXTRACTED.computeIfAbsent(pkg, p -> CompletableFuture.supplyAsync(() -> {
            CpuSlots.acquire(1, "extracting " + p);
            try {
                return extract(p);
            } finally {
                CpuSlots.release(1);
            }
        }, EXTRACTORS));
    }

    private static Path extract(Path pkg) {
        String name = pkg.getFileName().toString().replaceAll("\\.(jar|zip)$", "");
        Path root = Path.of("target", "task-roots", name).toAbsolutePath();
        Path marker = root.resolveSibling(name + ".extracted");
        try {
            // The same package (size and time) extracted by an earlier run is reused.
            String stamp = Files.size(pkg) + " " + Files.getLastModifiedTime(pkg).toMillis() + " " + pkg;
            if (Files.isDirectory(root) && Files.isRegularFile(marker) && Files.readString(marker).equals(stamp)) {
                return root;
            }
            Files.deleteIfExists(marker);
            deleteTree(root);
            Files.createDirectories(root);
            java.util.Set<Path> directories = new java.util.HashSet<>();
            try (ZipFile zip = new ZipFile(pkg.toFile())) {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry entry = entries.nextElement();
                    Path target = root.resolve(entry.getName()).normalize();
                    if (!target.startsWith(root)) {
                        throw new IllegalStateException("zip entry outside the task root: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        if (directories.add(target)) {
                            Files.createDirectories(target);
                        }
                    } else {
                        if (directories.add(target.getParent())) {
                            Files.createDirectories(target.getParent());
                        }
                        try (InputStream in = zip.getInputStream(entry)) {
                            Files.copy(in, target);
                        }
                    }
                }
            }
            Files.writeString(marker, stamp);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract " + pkg, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
