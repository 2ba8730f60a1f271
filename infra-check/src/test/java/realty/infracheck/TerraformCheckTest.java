package realty.infracheck;

import org.junit.jupiter.api.Assumptions;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * infra/ through HashiCorp's HCL parser, the AWS provider schema, module interfaces, references,
 * validations, plan-time knowledge of count/for_each and the lock files (tools/check-terraform.js),
 * and through terraform itself where it is installed and can run offline.
 */
class TerraformCheckTest {
    private static NodeTools.Result real;
    private static final Map<String, NodeTools.Result> FAULTY = new LinkedHashMap<>();

    @TempDir
    static Path copies;

    /** The real infra/ and one fault-injected copy per fault, in one run of the checker. */
    @BeforeAll
    static void checkTheRealInfraAndTheFaultyCopies() throws IOException {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (Arguments a : faults().toList()) {
            Object[] f = a.get();
            Path infra = NodeTools.copyInfra(copies.resolve("fault" + dirs.size()));
            NodeTools.replace(infra.resolve((String) f[1]), (String) f[2], (String) f[3]);
            dirs.put((String) f[0], infra);
        }
        Path noLock = NodeTools.copyInfra(copies.resolve("no-lock"));
        Files.delete(noLock.resolve("envs/prod/.terraform.lock.hcl"));
        dirs.put("no lock file", noLock);
        List<Path> targets = new java.util.ArrayList<>(List.of(Repository.infra()));
        targets.addAll(dirs.values());
        Map<Path, NodeTools.Result> results = NodeTools.runAll("check-terraform.js", targets);
        real = results.get(Repository.infra().toAbsolutePath().normalize());
        dirs.forEach((name, dir) -> FAULTY.put(name, results.get(dir.toAbsolutePath().normalize())));
    }

    @Test
    void theRealInfraHasNoFindings() {
        assertEquals(List.of(), real.findings(), real.summary());
        assertTrue(real.summary().contains("against hashicorp/aws 6.25.0"), real.summary());
    }

    /** name, file under infra/, text, replacement, fragment the finding must contain. */
    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("misspelled argument", "modules/event_sources/main.tf",
                        "  batch_size = lookup(", "  batch_sise = lookup(", "unsupported argument \"batch_sise\" (did you mean \"batch_size\"?)"),
                Arguments.of("missing required argument", "modules/functions/main.tf",
                        "  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json\n", "\n",
                        "aws_iam_role.this: missing required argument \"assume_role_policy\""),
                Arguments.of("zero batch size", "modules/realty/variables.tf",
                        "    audit_events        = 100\n", "    audit_events        = 0\n",
                        "var.batch_size = { audit_events = 0, commission_events = 10, notification_events = 20 } fails its validation"),
                Arguments.of("for_each over an id known only after apply", "modules/database/main.tf",
                        "  for_each = var.client_security_groups # static keys: known at plan\n",
                        "  for_each = toset(values(var.client_security_groups))\n",
                        "for_each depends on values known only after apply, so the first plan fails (\"Invalid for_each argument\"): "
                                + "module.realty.module.network.aws_security_group.lambda.id"),
                Arguments.of("batching window the provider drops", "modules/event_sources/main.tf",
                        "lookup(var.batching_window_seconds, each.key, null)", "lookup(var.batching_window_seconds, each.key, 0)",
                        "maximum_batching_window_in_seconds = 0 is dropped"),
                Arguments.of("reference to an undeclared output", "modules/realty/main.tf",
                        "module.network.private_subnet_ids\n", "module.network.private_subnets\n",
                        "module.network has no output \"private_subnets\""),
                Arguments.of("provider pin the checked schema does not satisfy", "modules/api/versions.tf",
                        "version = \"~> 6.25\"", "version = \"~> 5.70\"", "aws provider constraint \"~> 5.70\" does not admit 6.25.0"),
                Arguments.of("deprecated provider 6 attribute", "modules/network/main.tf",
                        "data.aws_region.current.region", "data.aws_region.current.name", "data.aws_region.current.name is deprecated"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void anInjectedFaultIsFound(String name, String file, String from, String to, String expected) {
        NodeTools.Result result = FAULTY.get(name);
        assertTrue(result.has(expected), name + ": expected a finding containing\n  " + expected + "\ngot\n  " + String.join("\n  ", result.findings()));
    }

    @Test
    void aRootWithoutItsLockFileIsFound() {
        assertTrue(FAULTY.get("no lock file").has("infra/envs/prod/.terraform.lock.hcl: missing"), FAULTY.get("no lock file").findings().toString());
    }

    @Test
    void everyRootLocksTheCheckedAwsProviderWithHashesForEveryPlatform() throws IOException {
        for (String env : TerraformFilesTest.ENVIRONMENTS) {
            String lock = Files.readString(Repository.infra().resolve("envs").resolve(env).resolve(".terraform.lock.hcl"));
            Matcher aws = Pattern.compile("provider \"registry.terraform.io/hashicorp/aws\" \\{\\s*version\\s*=\\s*\"([^\"]+)\"[\\s\\S]*?hashes = \\[([\\s\\S]*?)]").matcher(lock);
            assertTrue(aws.find(), env + ": no hashicorp/aws entry");
            assertEquals("6.25.0", aws.group(1), env);
            long h1 = aws.group(2).lines().filter(l -> l.contains("\"h1:")).count();
            long zh = aws.group(2).lines().filter(l -> l.contains("\"zh:")).count();
            assertTrue(h1 >= 10 && zh >= 10, env + ": expected the hashes of every platform terraform supports, got h1 " + h1 + ", zh " + zh);
        }
    }

    /** What Terraform deploys for each work queue is what template.yaml deploys. */
    @Test
    void terraformAndSamDeployTheSameBatchSizesAndBatchingWindows() {
        Map<String, String> terraform = new LinkedHashMap<>();
        for (String fact : real.facts()) {
            Matcher m = Pattern.compile("event_source_mapping queue=(\\w+) batch_size=(\\S+) maximum_batching_window_in_seconds=(\\S+)").matcher(fact);
            if (m.matches()) {
                terraform.put(m.group(1), m.group(2) + "/" + m.group(3));
            }
        }
        Map<String, String> sam = new LinkedHashMap<>();
        Sam.functions().forEach((id, properties) -> Maps.map(properties, "Events").forEach((name, event) -> {
            Map<String, Object> p = Maps.map(Maps.map(event).get("Properties"));
            if ("MQ".equals(Maps.map(event).get("Type"))) {
                Object window = p.get("MaximumBatchingWindowInSeconds");
                sam.put(String.valueOf(Maps.list(p.get("Queues")).get(0)), p.get("BatchSize") + "/" + (window == null ? "null" : window));
            }
        }));
        assertEquals(3, terraform.size(), "event source mappings evaluated for envs/dev: " + real.facts());
        assertEquals(new java.util.TreeMap<>(terraform), new java.util.TreeMap<>(sam),
                "batch size / batching window per queue (null = Lambda's 500 ms default for Amazon MQ)");
    }

    @Test
    void terraformFmtFindsNothingToChange() throws Exception {
        Path terraform = NodeTools.findOnPath("terraform");
        Assumptions.assumeTrue(terraform != null, "skipped: no terraform on PATH (the HCL parser and schema checks above ran instead)");
        Process p = new ProcessBuilder(terraform.toString(), "fmt", "-check", "-recursive", "-diff", "-no-color", Repository.infra().toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "terraform fmt -check -recursive infra:\n" + out);
    }

    static Stream<String> roots() {
        return TerraformFilesTest.ENVIRONMENTS.stream();
    }

    /**
     * terraform validate needs the provider binary, which terraform init downloads from
     * registry.terraform.io. Where terraform is installed and hashicorp/aws 6.25.0 is available
     * offline (TF_PLUGIN_CACHE_DIR or ~/.terraform.d/plugins), each root is validated in a copy
     * with -backend=false; otherwise this says why it skipped.
     */
    @ParameterizedTest(name = "envs/{0}")
    @MethodSource("roots")
    void terraformValidateWhereTerraformCanRunOffline(String env, @TempDir Path dir) throws Exception {
        Path terraform = NodeTools.findOnPath("terraform");
        Assumptions.assumeTrue(terraform != null, "skipped: no terraform on PATH (the schema check above ran instead)");
        Path pluginDir = offlineProviders();
        Assumptions.assumeTrue(pluginDir != null, "skipped: terraform is on PATH, but hashicorp/aws 6.25.0 and hashicorp/random are not "
                + "available offline (no TF_PLUGIN_CACHE_DIR or ~/.terraform.d/plugins mirror with them), and terraform init cannot reach "
                + "registry.terraform.io from here; the provider-schema check above is what runs");
        Path infra = NodeTools.copyInfra(dir);
        Path root = infra.resolve("envs").resolve(env);
        run(root, terraform.toString(), "init", "-backend=false", "-input=false", "-no-color", "-plugin-dir=" + pluginDir);
        run(root, terraform.toString(), "validate", "-no-color");
    }

    @Test
    void tflintWhereInstalled() throws Exception {
        Path tflint = NodeTools.findOnPath("tflint");
        Assumptions.assumeTrue(tflint != null, "skipped: no tflint on PATH");
        run(Repository.infra(), tflint.toString(), "--recursive", "--no-color");
    }

    private static Path offlineProviders() {
        for (String candidate : new String[] {System.getenv("TF_PLUGIN_CACHE_DIR"), System.getProperty("user.home") + "/.terraform.d/plugins"}) {
            if (candidate == null) {
                continue;
            }
            Path dir = Path.of(candidate);
            if (Files.isDirectory(dir.resolve("registry.terraform.io/hashicorp/aws/6.25.0"))
                    && Files.isDirectory(dir.resolve("registry.terraform.io/hashicorp/random"))) {
                return dir;
            }
        }
        return null;
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), String.join(" ", command) + " timed out");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " in " + dir + ":\n" + out);
    }
}
