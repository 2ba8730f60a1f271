package realty.runtimecheck.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The stand-in for the managed java17 runtime's {@code /var/runtime}: {@code lib/} holds AWS's
 * runtime interface client and the jars it depends on (copied there by the module's pom), and
 * {@code lib/jni/} its native Runtime API client, unpacked once.
 *
 * <p>The JVM command line is the one the java17 runtime runs, as observed inside Lambda (third-party
 * dump of the runtime's process, sigpwned/the-lambda-iceberg-dissecting-the-official-java-runtimes,
 * Oct 2024; the tiered-compilation and GC defaults are also in AWS's "Customize Java runtime startup
 * behavior", https://docs.aws.amazon.com/lambda/latest/dg/java-customization.html):
 * <pre>
 * java -XX:MaxHeapSize=&lt;85 % of the memory size&gt;k -javaagent:Log4jHotPatch.jar -XX:+UseSerialGC
 *      -Xshare:on -XX:SharedArchiveFile=runtime.jsa -XX:+TieredCompilation -XX:TieredStopAtLevel=1
 *      --add-opens=java.base/java.io=ALL-UNNAMED -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac
 *      -XX:+ErrorFileToStderr -D...NativeClient.JNI=/var/runtime/lib/jni/libaws-lambda-jni.linux-x86_64.so
 *      -classpath /var/runtime/lib/... com.amazonaws.services.lambda.runtime.api.client.AWSLambda &lt;handler&gt;
 * </pre>
 * Modelled: all of it except the Log4Shell hot-patch agent and the runtime's CDS archive (not
 * available outside Lambda; {@code -Xshare:auto} instead). {@code JAVA_TOOL_OPTIONS} is honoured by
 * the JVM itself when the deployment sets it, as in Lambda. Not modelled: the CPU share that Lambda
 * gives in proportion to the memory size.
 */
public final class LambdaRuntime {
    public static final String ENTRY_POINT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** Where the runtime interface client loads its native client from when this property is set (JniHelper). */
    static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    static final String JNI_LIBRARY = "libaws-lambda-jni.linux-x86_64.so";

    private final Path dir;
    private final List<Path> classpath;
    private final Path jni;

    private LambdaRuntime(Path dir) {
        this.dir = dir;
        Path lib = dir.resolve("lib");
        try (Stream<Path> jars = Files.list(lib)) {
            classpath = jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no runtime directory at " + lib + " (run the module through Maven: "
                    + "the pom copies the runtime interface client there)", e);
        }
        Path ric = classpath.stream().filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no runtime interface client in " + lib));
        jni = lib.resolve("jni").resolve(JNI_LIBRARY);
        unpackJni(ric, jni);
    }

    private static LambdaRuntime instance;

    /** The runtime directory the build prepared ({@code realty.lambda-runtime.dir}, default target/lambda-runtime). */
    public static synchronized LambdaRuntime get() {
        if (instance == null) {
            instance = new LambdaRuntime(Path.of(System.getProperty("realty.lambda-runtime.dir", "target/lambda-runtime"))
                    .toAbsolutePath());
        }
        return instance;
    }

    public Path dir() {
        return dir;
    }

    public List<Path> classpath() {
        return classpath;
    }

    public Path runtimeInterfaceClientJar() {
        return classpath.stream().filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
                .findFirst().orElseThrow();
    }

    /** The java17 runtime's JVM arguments for a function of this memory size (see the class comment). */
    public List<String> jvmArguments(int memoryMb, Path tmp) {
        List<String> args = new ArrayList<>();
        args.add("-XX:MaxHeapSize=" + maxHeapKb(memoryMb) + "k");
        args.add("-XX:+UseSerialGC");
        args.add("-Xshare:auto");
        args.add("-XX:+TieredCompilation");
        args.add("-XX:TieredStopAtLevel=1");
        args.add("--add-opens=java.base/java.io=ALL-UNNAMED");
        // Lets org.crac (micronaut-crac) register its resources with the runtime's CRaC implementation,
        // whose hooks AWSLambda runs around /restore/next (SnapStart).
        args.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
        args.add("-XX:+ErrorFileToStderr");
        args.add("-D" + JNI_PROPERTY + "=" + jni);
        // Not on Lambda's command line: each execution environment has a /tmp of its own; here the
        // environments share a machine, so each gets its own temporary directory.
        args.add("-Djava.io.tmpdir=" + tmp);
        args.add("-classpath");
        args.add(String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        return args;
    }

    /** 85 % of the memory size in KiB, rounded half up: 512 MB gives 445645k as in Lambda. */
    static long maxHeapKb(int memoryMb) {
        return Math.round(memoryMb * 1024 * 0.85);
    }

    public Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static synchronized void unpackJni(Path ricJar, Path target) {
        try {
            if (Files.isRegularFile(target) && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(ricJar)) >= 0) {
                return;
            }
            Files.createDirectories(target.getParent());
            try (ZipFile zip = new ZipFile(ricJar.toFile())) {
                ZipEntry entry = zip.getEntry("jni/" + JNI_LIBRARY);
                if (entry == null) {
                    throw new IllegalStateException(ricJar + " has no jni/" + JNI_LIBRARY);
                }
                Path partial = Files.createTempFile(target.getParent(), "jni", ".part");
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack the runtime interface client's native library", e);
        }
    }
}
