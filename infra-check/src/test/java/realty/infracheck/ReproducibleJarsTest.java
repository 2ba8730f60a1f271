package realty.infracheck;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Terraform publishes a new function version whenever {@code filebase64sha256} of its jar changes,
 * so a jar must be byte-for-byte the same when its code is: the project's own entries carry the
 * fixed {@code project.build.outputTimestamp} of the root pom instead of the build's clock (the
 * dependencies' entries keep the times they were published with, which are fixed too).
 */
class ReproducibleJarsTest {
    private static final Pattern OUTPUT_TIMESTAMP =
            Pattern.compile("<project\\.build\\.outputTimestamp>([^<]+)</project\\.build\\.outputTimestamp>");

    @Test
    void theProjectsOwnJarEntriesCarryTheFixedOutputTimestamp() throws IOException {
        Matcher m = OUTPUT_TIMESTAMP.matcher(Files.readString(Repository.ROOT.resolve("pom.xml")));
        assertTrue(m.find(), "the root pom sets no project.build.outputTimestamp: jars differ at every build");
        LocalDateTime fixed = OffsetDateTime.parse(m.group(1)).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();

        Set<String> artifacts = Deployments.terraform().stream().map(Deployments.Function::artifact)
                .collect(Collectors.toCollection(TreeSet::new));
        assertFalse(artifacts.isEmpty());
        for (String artifact : artifacts) {
            Path jar = Repository.ROOT.resolve(artifact);
            assertTrue(Files.isRegularFile(jar), jar + " is not built (run mvn package first)");
            Set<LocalDateTime> times = new TreeSet<>();
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                zip.stream().filter(e -> e.getName().startsWith("realty/")).forEach(e -> times.add(e.getTimeLocal()));
            }
            assertEquals(Set.of(fixed), times, artifact + ": times of the realty/ entries");
        }
    }
}
