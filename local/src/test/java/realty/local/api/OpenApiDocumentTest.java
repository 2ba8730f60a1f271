package realty.local.api;

import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;
import realty.local.TestSystem;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document the build generates from the controllers (docs/api.md) against the running
 * API: every route the Micronaut router holds is in it with its method, and nothing else; every
 * endpoint of spec/api.md is in it; the API serves it to anyone and the local Swagger UI loads it.
 * A controller added without reaching the document fails here, with no list to edit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    /** spec/api.md's shorthand whose method lives on the item, not the collection it names. */
    private static final Map<String, String> SPEC_SHORTHAND = Map.of(
            "DELETE /webhooks", "DELETE /webhooks/{}"); // a subscription is deleted by its id

    private TestSystem t;
    private Map<String, Object> document;

    @BeforeAll
    void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of(), false);
        HttpResponse<String> r = get("/api/v1/openapi.yml");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"), r.headers().toString());
        document = new Yaml().load(r.body());
    }

    @AfterAll
    void stop() {
        t.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return t.http.send(HttpRequest.newBuilder(URI.create(t.system.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** "GET /api/v1/agents/{}" for every operation of the document; path variables are not compared by name. */
    @SuppressWarnings("unchecked")
    private Set<String> documentedOperations() {
        Set<String> ops = new TreeSet<>();
        ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, item) -> item.keySet().stream()
                .filter(METHODS::contains)
                .forEach(method -> ops.add(method.toUpperCase(Locale.ROOT) + " " + normalize(path))));
        return ops;
    }

    private static String normalize(String path) {
        return path.replaceAll("\\{[^}]*}", "{}");
    }

    @Test
    void everyRouteOfTheApiIsInTheDocumentAndNothingElse() {
        Set<String> routes = t.system.apiContext().getBean(Router.class).uriRoutes()
                .map(r -> ((UriRouteInfo<?, ?>) r).getHttpMethodName() + " " + normalize(r.getUriMatchTemplate().toPathString()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(routes.size() > 50, "the router's routes: " + routes);
        Set<String> documented = documentedOperations();

        Set<String> undocumented = new TreeSet<>(routes);
        undocumented.removeAll(documented);
        // Micronaut answers HEAD on every GET route (RFC 9110: GET without the body); the GET documents it
        undocumented.removeIf(route -> route.startsWith("HEAD ") && documented.contains("GET " + route.substring(5)));
        assertEquals(Set.of(), undocumented, "routes missing from the OpenAPI document: is micronaut-openapi on the "
                + "annotation processor path of their module, and are they hidden (@Hidden)?");
        Set<String> invented = new TreeSet<>(documented);
        invented.removeAll(routes);
        assertEquals(Set.of(), invented, "operations of the document that no route serves");
    }

    @Test
    void everyEndpointOfTheSpecIsInTheDocument() throws Exception {
        List<String> spec = specEndpoints(specText());
        assertTrue(spec.size() >= 40, "parsed too few endpoints from spec/api.md: " + spec);
        Set<String> documented = documentedOperations();

        List<String> missing = new ArrayList<>();
        for (String endpoint : spec) {
            String wanted = SPEC_SHORTHAND.getOrDefault(endpoint, endpoint);
            String method = wanted.substring(0, wanted.indexOf(' '));
            String path = wanted.substring(wanted.indexOf(' ') + 1);
            // all paths are under /api/v1 but the liveness check (GET /health, docs/operations.md)
            if (!documented.contains(method + " /api/v1" + path) && !documented.contains(method + " " + path)) {
                missing.add(endpoint);
            }
        }
        assertEquals(List.of(), missing, "endpoints of spec/api.md missing from the document");
    }

    /** "GET /agents/{}" for each method and path in the first column of spec/api.md's endpoint table. */
    static List<String> specEndpoints(String markdown) {
        String table = markdown.substring(markdown.indexOf("## Endpoints"));
        int end = table.indexOf("\n## ", 1);
        table = end < 0 ? table : table.substring(0, end);
        Pattern endpoint = Pattern.compile("`([A-Z]+(?:/[A-Z]+)*) (/[^`\\s?]*)[^`]*`");
        List<String> found = new ArrayList<>();
        for (String line : table.split("\n")) {
            if (!line.startsWith("|")) {
                continue;
            }
            String firstCell = line.split("\\|")[1];
            Matcher m = endpoint.matcher(firstCell);
            while (m.find()) {
                for (String method : m.group(1).split("/")) {
                    found.add(method + " " + normalize(m.group(2)));
                }
            }
        }
        return found;
    }

    /**
     * The contract's endpoint table. The specs live beside the repository (../shared/spec), which a
     * clone elsewhere (CI) does not have, so the test reads the copy kept in test resources
     * (src/test/resources/spec/api.md); where the original is found above the working directory it
     * must be identical, so the copy cannot fall behind the contract unnoticed.
     */
    private static String specText() throws Exception {
        String copy;
        try (var in = OpenApiDocumentTest.class.getResourceAsStream("/spec/api.md")) {
            assertTrue(in != null, "src/test/resources/spec/api.md is missing");
            copy = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String configured = System.getProperty("realty.spec.dir");
        Path original = configured != null ? Path.of(configured, "api.md") : null;
        for (Path dir = Path.of("").toAbsolutePath(); original == null && dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/spec/api.md");
            if (Files.isRegularFile(candidate)) {
                original = candidate;
            }
        }
        if (original != null) {
            assertEquals(Files.readString(original), copy, "src/test/resources/spec/api.md differs from " + original
                    + ": copy the contract again");
        }
        return copy;
    }

    @Test
    void theSpecParserReadsEveryMethodOfALine() {
        assertEquals(List.of("GET /companies/{}/settings", "PUT /companies/{}/settings", "GET /commissions"),
                specEndpoints("## Endpoints\n| `GET/PUT /companies/{id}/settings` | owner |\n| `GET /commissions?saleId=` | x |\n"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationAnswersItsErrorsAsProblemsAndSecuredOnesTakeTheBearerToken() {
        Map<String, Object> schemes = (Map<String, Object>) ((Map<String, Object>) document.get("components")).get("securitySchemes");
        assertEquals(Map.of("type", "http", "scheme", "bearer", "bearerFormat", "JWT"),
                ((Map<String, Object>) schemes.get("bearer")).entrySet().stream().filter(e -> !e.getKey().equals("description"))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        List<String> wrong = new ArrayList<>();
        ((Map<String, Map<String, Map<String, Object>>>) document.get("paths")).forEach((path, item) -> item.forEach((method, op) -> {
            if (!METHODS.contains(method)) {
                return;
            }
            String name = method.toUpperCase(Locale.ROOT) + " " + path;
            Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) op.get("responses");
            responses.forEach((code, response) -> {
                Map<String, Object> content = (Map<String, Object>) response.get("content");
                if (code.startsWith("4") && path.startsWith("/api/") && (content == null || !content.containsKey("application/problem+json"))) {
                    wrong.add(name + " " + code + " is not a problem+json answer");
                }
            });
            boolean secured = op.get("security") != null;
            if (secured && !responses.containsKey("401")) {
                wrong.add(name + " takes a token but documents no 401: put @ApiErrors.Authenticated on its controller");
            }
            if (secured && !((List<Map<String, Object>>) op.get("security")).get(0).containsKey("bearer")) {
                wrong.add(name + " is secured by another scheme than bearer");
            }
        }));
        assertEquals(List.of(), wrong);
        Map<String, Object> problem = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) document.get("components"))
                .get("schemas")).get("Problem");
        assertEquals(Set.of("type", "title", "status", "detail", "errors"), ((Map<String, Object>) problem.get("properties")).keySet());
    }

    @Test
    @SuppressWarnings("unchecked")
    void publicOperationsTakeNoTokenAndTheRuleFieldsAreDescribed() {
        Map<String, Map<String, Map<String, Object>>> paths = (Map<String, Map<String, Map<String, Object>>>) document.get("paths");
        for (String open : List.of("/api/v1/auth/login:post", "/health:get", "/api/v1/openapi.yml:get")) {
            String[] pm = open.split(":");
            assertEquals(null, paths.get(pm[0]).get(pm[1]).get("security"), open + " is public");
        }
        assertNotNull(paths.get("/api/v1/me").get("get").get("security"), "GET /me takes the token");

        Map<String, Object> rule = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) document.get("components"))
                .get("schemas")).get("RuleRequests.Create");
        Map<String, Map<String, Object>> fields = (Map<String, Map<String, Object>>) rule.get("properties");
        for (String field : List.of("structure", "percentage", "fixedAmount", "minTransactionValue", "maxTransactionValue",
                "validFrom", "validUntil", "transactionType")) {
            assertTrue(String.valueOf(fields.get(field).get("description")).length() > 20, field + " is described: " + fields.get(field));
        }
        assertEquals(List.of("percentage", "fixed"), fields.get("structure").get("enum"));
        assertNotNull(rule.get("example"), "a rule example");
    }

    @Test
    void theLocalSwaggerUiLoadsTheDocumentFromTheApi() throws Exception {
        HttpResponse<String> page = get("/swagger-ui/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("'/api/v1/openapi.yml'"), "the page asks the API for the document");
        assertTrue(!page.body().contains("https://") && !page.body().contains("http://"), "nothing from the internet");
        for (String asset : List.of("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css")) {
            assertTrue(page.body().contains("/swagger-ui/res/" + asset), asset + " from the local server");
            HttpResponse<String> r = get("/swagger-ui/res/" + asset);
            assertEquals(200, r.statusCode(), asset);
            assertTrue(r.body().length() > 10_000, asset + " is the real thing");
        }
        assertEquals(301, get("/swagger-ui").statusCode());
        assertEquals(404, get("/swagger-ui/../../META-INF/MANIFEST.MF").statusCode());
    }
}
