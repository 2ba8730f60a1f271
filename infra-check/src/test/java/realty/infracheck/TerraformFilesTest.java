package realty.infracheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** infra/ is well-formed: every file parses, every root and module pins its providers. */
class TerraformFilesTest {
    static final List<String> MODULES = List.of("network", "secrets", "broker", "database", "functions",
            "event_sources", "api", "alarms", "realty");
    static final List<String> ENVIRONMENTS = List.of("dev", "prod", "local");

    static Stream<Path> terraformFiles() {
        return Repository.terraformFiles().stream();
    }

    static Stream<Path> rootsAndModules() {
        return Stream.concat(ENVIRONMENTS.stream().map(e -> Repository.infra().resolve("envs").resolve(e)),
                MODULES.stream().map(m -> Repository.infra().resolve("modules").resolve(m)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("terraformFiles")
    void everyTerraformFileParses(Path file) {
        Map<String, Object> parsed = Terraform.parse(file);
        assertFalse(parsed.isEmpty(), file + " has no blocks");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rootsAndModules")
    void everyRootAndModuleHasTheStandardFiles(Path dir) {
        for (String name : List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf")) {
            assertTrue(Files.isRegularFile(dir.resolve(name)), dir + " lacks " + name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rootsAndModules")
    void everyRootAndModulePinsTerraformAndTheAwsProvider(Path dir) {
        Map<String, Object> versions = Terraform.parse(dir.resolve("versions.tf"));
        assertTrue(String.valueOf(Maps.get(versions, "terraform", "required_version")).startsWith(">= 1."),
                dir + ": required_version must set a minimum Terraform 1.x");
        Map<String, Object> aws = Maps.map(versions, "terraform", "required_providers", "aws");
        assertEquals("hashicorp/aws", aws.get("source"), dir + ": aws provider source");
        // 6.25: the release @cdktf/provider-aws 21.22.1 (infra-check/tools) is generated from, whose
        // schema check-terraform.js validates against; the lock files pin exactly 6.25.0.
        assertEquals("~> 6.25", aws.get("version"), dir + ": aws provider must be pinned to ~> 6.25");
    }

    @Test
    void everyVariableHasADescriptionAndEveryOutputToo() {
        List<String> missing = new ArrayList<>();
        for (Path file : Repository.terraformFiles()) {
            for (String kind : List.of("variable", "output")) {
                Maps.map(Terraform.parse(file).get(kind)).forEach((name, body) -> {
                    Object description = Maps.map(body).get("description");
                    if (!(description instanceof String s) || s.isBlank()) {
                        missing.add(kind + " " + name + " in " + Repository.ROOT.relativize(file));
                    }
                });
            }
        }
        assertTrue(missing.isEmpty(), "without description: " + missing);
    }

    @Test
    void inputsThatCanBeWrongAreValidated() {
        long validated = Repository.terraformFiles().stream()
                .flatMap(f -> Maps.map(Terraform.parse(f).get("variable")).values().stream())
                .filter(v -> Maps.map(v).containsKey("validation"))
                .count();
        assertTrue(validated >= 40, "only " + validated + " variables carry a validation block");
    }

    @Test
    void cloudEnvironmentsKeepStateInS3AndLocalStackStaysOffRealAws() {
        for (String env : List.of("dev", "prod")) {
            Map<String, Object> versions = Terraform.parse(Repository.infra().resolve("envs").resolve(env).resolve("versions.tf"));
            assertTrue(Maps.map(versions, "terraform", "backend").containsKey("s3"), env + " must use the S3 backend");
        }
        Map<String, Object> local = Terraform.parse(Repository.infra().resolve("envs/local/versions.tf"));
        Map<String, Object> provider = Maps.map(local, "provider", "aws");
        assertEquals(true, provider.get("skip_credentials_validation"));
        assertEquals(true, provider.get("skip_requesting_account_id"));
        Map<String, Object> endpoints = Maps.map(provider, "endpoints");
        for (String service : List.of("lambda", "iam", "sts", "secretsmanager", "cloudwatchlogs", "scheduler", "ec2")) {
            if (!endpoints.containsKey(service)) {
                fail("the local environment must send " + service + " to LocalStack, endpoints are " + endpoints.keySet());
            }
        }
        Map<String, Object> localVariables = Terraform.parse(Repository.infra().resolve("envs/local/variables.tf"));
        assertEquals(false, Maps.get(localVariables, "variable", "enable_broker", "default"),
                "LocalStack does not emulate Amazon MQ for RabbitMQ: enable_broker must default to false");
    }
}
