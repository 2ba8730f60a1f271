package realty.infracheck;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * No deployment asks the managed Java runtime for a class-data sharing archive through
 * JAVA_TOOL_OPTIONS: an archive only fits the JVM build that wrote it, Lambda unpacks the jar into a
 * directory CDS cannot archive from, and the runtime's own command line names its archive after
 * JAVA_TOOL_OPTIONS (docs/deploy.md, "Jar sizes and cold start"). Such a flag would only cost start-up
 * time, or stop the JVM with -Xshare:on. The cold-start lever is SnapStart with priming instead (every function but the deploy task).
 */
class ColdStartOptionsTest {
    private static final List<String> CDS_OPTIONS = List.of("-Xshare", "SharedArchiveFile", "ArchiveClassesAtExit",
            "AutoCreateSharedArchive", "SharedClassListFile", "AOTCache", "AOTMode");

    static Stream<Deployments.Function> functions() {
        return Stream.concat(Deployments.terraform().stream(), Deployments.sam().stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void noFunctionAsksForAClassDataSharingArchive(Deployments.Function function) {
        Object options = function.environment().get("JAVA_TOOL_OPTIONS");
        if (options == null) {
            return;
        }
        for (String option : CDS_OPTIONS) {
            assertFalse(String.valueOf(options).contains(option), function + ": JAVA_TOOL_OPTIONS sets " + option);
        }
    }
}
