package realty.infracheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the Node.js checkers of infra-check/tools (check-terraform.js, check-sam.js). Their
 * packages are installed by scripts/infra-tools.sh from the committed package-lock.json;
 * scripts/test.sh runs it before Maven.
 */
final class NodeTools {
    static final Path TOOLS = Repository.ROOT.resolve("infra-check/tools");
    private static final List<String> PACKAGES = List.of("@cdktf/hcl2json", "@cdktf/provider-aws", "@aws-cdk/aws-service-spec", "yaml");

    /** What a checker printed: FINDING lines (without the prefix), FACT lines, the SUMMARY line. */
    record Result(List<String> findings, List<String> facts, String summary, String output) {
        boolean has(String fragment) {
            return findings.stream().anyMatch(f -> f.contains(fragment));
        }
    }

    private NodeTools() {
    }

    static void requireInstalled() {
        if (findOnPath("node") == null) {
            fail("Node.js is not on PATH; infra-check's Terraform and SAM checks run on it (Debian: apt-get install nodejs npm)");
        }
        List<String> missing = PACKAGES.stream().filter(p -> !Files.isDirectory(TOOLS.resolve("node_modules").resolve(p))).toList();
        if (!missing.isEmpty()) {
            fail("infra-check/tools/node_modules lacks " + missing + ": run scripts/infra-tools.sh (scripts/test.sh runs it before Maven); "
                    + "it installs the versions locked in infra-check/tools/package-lock.json");
        }
    }

    static Result run(String script, Path target) {
        return runAll(script, List.of(target)).get(target.toAbsolutePath().normalize());
    }

    /** One Node.js process for several targets (the parser and the specifications load once). */
    static Map<Path, Result> runAll(String script, List<Path> targets) {
        requireInstalled();
        try {
            Path out = Files.createTempFile("infra-check-" + script, ".txt");
            List<String> command = new ArrayList<>(List.of("node", TOOLS.resolve(script).toString()));
            targets.forEach(t -> command.add(t.toAbsolutePath().normalize().toString()));
            Process p = new ProcessBuilder(command).directory(TOOLS.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(script + " did not finish within 300 s");
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            assertEquals(0, p.exitValue(), script + " failed to run:\n" + output);
            Map<Path, Result> results = new LinkedHashMap<>();
            Path current = targets.size() == 1 ? targets.get(0).toAbsolutePath().normalize() : null;
            List<String> findings = new ArrayList<>();
            List<String> facts = new ArrayList<>();
            StringBuilder section = new StringBuilder();
            for (String line : output.split("\n")) {
                section.append(line).append('\n');
                if (line.startsWith("== CHECK ")) {
                    current = Path.of(line.substring(9));
                    findings = new ArrayList<>();
                    facts = new ArrayList<>();
                    section = new StringBuilder();
                } else if (line.startsWith("FINDING ")) {
                    findings.add(line.substring(8));
                } else if (line.startsWith("FACT ")) {
                    facts.add(line.substring(5));
                } else if (line.startsWith("SUMMARY ")) {
                    results.put(current, new Result(findings, facts, line.substring(8), section.toString()));
                    System.out.println("[infra-check] " + current.getFileName() + ": " + line.substring(8));
                }
            }
            for (Path t : targets) {
                if (!results.containsKey(t.toAbsolutePath().normalize())) {
                    fail(script + " printed no summary for " + t + ":\n" + output);
                }
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path findOnPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A copy of infra/ (without .terraform caches) under dir, for fault injection. */
    static Path copyInfra(Path dir) {
        Path target = dir.resolve("infra");
        try (var files = Files.walk(Repository.infra())) {
            for (Path source : files.filter(p -> !p.toString().contains("/.terraform/")).toList()) {
                Path dest = target.resolve(Repository.infra().relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(source, dest);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Replaces text in a file of a copy; the text must be there (so a stale fault fails loudly). */
    static void replace(Path file, String from, String to) {
        try {
            String text = Files.readString(file);
            if (!text.contains(from)) {
                fail("fault injection: " + file + " no longer contains " + from);
            }
            Files.writeString(file, text.replace(from, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
