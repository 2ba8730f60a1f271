package realty.infracheck;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** template.yaml against the SAM and CloudFormation specifications (tools/check-sam.js). */
class SamCheckTest {

    private static NodeTools.Result real;
    private static final Map<String, NodeTools.Result> FAULTY = new LinkedHashMap<>();

    @TempDir
    static Path copies;

    /** template.yaml and one fault-injected copy per fault, in one run of the checker. */
    @BeforeAll
    static void checkTheTemplateAndTheFaultyCopies() throws IOException {
        String template = Files.readString(Repository.samTemplate());
        Map<String, Path> files = new LinkedHashMap<>();
        for (Arguments a : faults().toList()) {
            Object[] f = a.get();
            if (!template.contains((String) f[1])) {
                fail("fault injection: template.yaml no longer contains " + f[1]);
            }
            Path copy = Files.createDirectories(copies.resolve("fault" + files.size())).resolve("template.yaml");
            Files.writeString(copy, template.replaceFirst(java.util.regex.Pattern.quote((String) f[1]), java.util.regex.Matcher.quoteReplacement((String) f[2])));
            files.put((String) f[0], copy);
        }
        List<Path> targets = new java.util.ArrayList<>(List.of(Repository.samTemplate()));
        targets.addAll(files.values());
        Map<Path, NodeTools.Result> results = NodeTools.runAll("check-sam.js", targets);
        real = results.get(Repository.samTemplate().toAbsolutePath().normalize());
        files.forEach((name, file) -> FAULTY.put(name, results.get(file.toAbsolutePath().normalize())));
    }

    @Test
    void theTemplateHasNoFindings() {
        assertEquals(List.of(), real.findings(), real.summary());
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("misspelled MQ property", "            BatchSize: 20\n",
                        "            BatchSize: 20\n            MaximumBatchingWindowInSecond: 2\n",
                        "unknown property \"MaximumBatchingWindowInSecond\" (did you mean \"MaximumBatchingWindowInSeconds\"?)"),
                Arguments.of("misspelled function property", "      Handler: realty.audit.AuditFunction\n",
                        "      Handlr: realty.audit.AuditFunction\n", "AuditFunction: unknown property \"Handlr\""),
                Arguments.of("MQ event without its broker", "            Broker: !Ref BrokerArn\n            Queues: [audit_events]\n",
                        "            Queues: [audit_events]\n", "AuditFunction.Events.WorkQueue.Properties: missing required property \"Broker\""),
                Arguments.of("route that misses /", "            ApiId: !Ref HttpApi\n",
                        "            ApiId: !Ref HttpApi\n            Path: /{proxy+}\n            Method: ANY\n", "Terraform (modules/api) routes $default"),
                Arguments.of("SnapStart without AutoPublishAlias", "    AutoPublishAlias: live\n", "",
                        "ApiFunction: SnapStart applies to published versions only"),
                Arguments.of("reference to a missing parameter", "Resource: !Ref SmtpSecretArn", "Resource: !Ref SmtpSecretArm",
                        "!Ref SmtpSecretArm: no such parameter"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void anInjectedFaultIsFound(String name, String from, String to, String expected) {
        NodeTools.Result result = FAULTY.get(name);
        assertTrue(result.has(expected), name + ": expected a finding containing\n  " + expected + "\ngot\n  " + String.join("\n  ", result.findings()));
    }
}
