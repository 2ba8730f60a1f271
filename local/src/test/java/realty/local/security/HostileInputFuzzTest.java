package realty.local.security;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import realty.local.TestSystem;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated JSON and CSV thrown at every write endpoint and at the parsers behind them: whatever
 * arrives, the answer is never a 5xx (targets.md R7). The JSON mixes the API's real field names
 * with wrong types, NUL and other control characters, multi-byte and over-long text, huge and odd
 * numbers, deep nesting and broken syntax.
 */
class HostileInputFuzzTest {
    private static TestSystem t;
    private static String admin;
    private static String company;

    /** Write endpoints with a JSON body; {id} becomes a random UUID (a 404 is a fine answer). */
    private static final List<String> ROUTES = List.of(
            "POST /api/v1/auth/login", "POST /api/v1/users", "PATCH /api/v1/users/{id}", "POST /api/v1/companies",
            "POST /api/v1/properties", "PATCH /api/v1/properties/{id}", "POST /api/v1/properties/import",
            "POST /api/v1/properties/{id}/assignments", "POST /api/v1/sales", "POST /api/v1/sales/bulk",
            "POST /api/v1/commission-rules", "PATCH /api/v1/commission-rules/{id}", "POST /api/v1/agents",
            "PATCH /api/v1/agents/{id}", "PUT /api/v1/companies/{id}/settings", "POST /api/v1/webhooks",
            "POST /api/v1/admin/dead-letters/replay");
    private static final List<String> FIELDS = List.of("email", "name", "password", "profiles", "companyIds", "companyId",
            "locale", "referenceCode", "title", "type", "status", "price", "rentPrice", "forSale", "forRent", "address",
            "agentId", "prospectorId", "propertyId", "salePrice", "saleDate", "structure", "percentage", "url", "events",
            "creci", "cpf", "username", "minTransactionValue", "splits", "active", "queue", "ids", "items");

    @BeforeContainer
    static void start() throws Exception {
        t = new TestSystem(Map.of(), Map.of(), false);
        admin = t.adminToken();
        company = t.createCompany(admin, "Fuzz Agency");
    }

    @AfterContainer
    static void stop() {
        if (t != null) {
            t.close();
        }
    }

    @Provide
    Arbitrary<String> routes() {
        return Arbitraries.of(ROUTES);
    }

    private static Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars('\u0000', '\u0001', '\u001f', '\u007f', '"', '\\', '\'', ';', '<', 'é', '漢')
                        .ofMaxLength(30),
                Arbitraries.of("", " ", "' OR '1'='1", "<script>alert(1)</script>", "../../etc/passwd", "%00", "\u0000",
                        "é".repeat(80), "x".repeat(5000), company, UUID.randomUUID().toString(), "agent", "house", "2026-02-30"));
    }

    private static Arbitrary<String> number() {
        return Arbitraries.oneOf(Arbitraries.integers().map(String::valueOf), Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("0", "-0", "1e308", "-1e309", "1e-400", "123456789012345678901234567890", "0.1", "-42.5",
                        "9007199254740993", "1E2"));
    }

    private static Arbitrary<String> json(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(text().map(HostileInputFuzzTest::quote), number(),
                Arbitraries.of("true", "false", "null"));
        if (depth <= 0) {
            return scalar;
        }
        Arbitrary<String> array = json(depth - 1).list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> object = Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(FIELDS), text()), json(depth - 1))
                .ofMaxSize(6).map(m -> m.entrySet().stream().map(e -> quote(e.getKey()) + ":" + e.getValue())
                        .collect(Collectors.joining(",", "{", "}")));
        return Arbitraries.oneOf(scalar, array, object, object);
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> broken = json(2).map(s -> s.length() > 2 ? s.substring(0, s.length() / 2) : s + "{");
        Arbitrary<String> deep = Arbitraries.integers().between(200, 3000).map(n -> "[".repeat(n) + "]".repeat(n));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, json(3)), net.jqwik.api.Tuple.of(1, broken), net.jqwik.api.Tuple.of(1, deep));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        return t.http.send(HttpRequest.newBuilder(URI.create(t.system.baseUrl() + path))
                        .header("Authorization", "Bearer " + admin).header("Content-Type", contentType)
                        .timeout(Duration.ofSeconds(30))
                        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Valid bodies of the main writes: a mutation of one of them gets past parsing into the services and SQL. */
    private static Map<String, String> templates() {
        String ref = "F-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> property = new java.util.LinkedHashMap<>();
        property.put("companyId", quote(company));
        property.put("referenceCode", quote(ref));
        property.put("title", quote("Casa"));
        property.put("type", quote("house"));
        property.put("price", quote("100000.00"));
        property.put("forSale", "true");
        Map<String, String> user = new java.util.LinkedHashMap<>();
        user.put("email", quote("fuzz-" + UUID.randomUUID().toString().substring(0, 8) + "@test.realty.dev"));
        user.put("name", quote("Fuzz"));
        user.put("password", quote("a-long-password"));
        user.put("profiles", "[\"agent\"]");
        user.put("companyIds", "[" + quote(company) + "]");
        Map<String, String> login = new java.util.LinkedHashMap<>();
        login.put("username", quote("admin"));
        login.put("password", quote("wrong-password"));
        Map<String, String> companyBody = new java.util.LinkedHashMap<>();
        companyBody.put("name", quote("Fuzz Co " + ref));
        return Map.of("POST /api/v1/properties", object(property), "POST /api/v1/properties/import", "[" + object(property) + "]",
                "POST /api/v1/users", object(user), "POST /api/v1/auth/login", object(login),
                "POST /api/v1/companies", object(companyBody));
    }

    private static String object(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> quote(e.getKey()) + ":" + e.getValue()).collect(Collectors.joining(",", "{", "}"));
    }

    @Provide
    Arbitrary<String> mutatedRoutes() {
        return Arbitraries.of("POST /api/v1/properties", "POST /api/v1/properties/import", "POST /api/v1/users",
                "POST /api/v1/auth/login", "POST /api/v1/companies");
    }

    /** Hostile values: text with NUL, control and multi-byte characters, wrong JSON types, removal. */
    private static Arbitrary<String> hostileValue() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, text().map(HostileInputFuzzTest::quote)),
                net.jqwik.api.Tuple.of(3, json(1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("<remove>")));
    }

    /**
     * Field → value; a field is named by index into the template's own fields (most mutations hit a
     * field the endpoint reads) or, for a negative index, drawn from all the API's field names.
     */
    @Provide
    Arbitrary<Map<Integer, String>> mutations() {
        return Arbitraries.maps(Arbitraries.integers().between(-3, 9), hostileValue()).ofMinSize(1).ofMaxSize(2);
    }

    /** A valid body with one or two fields replaced by hostile values (or removed). */
    @Property(tries = 300)
    void mutatedValidBodiesNeverAnswerAServerError(@ForAll("mutatedRoutes") String route,
                                                   @ForAll("mutations") Map<Integer, String> mutation) throws Exception {
        String template = templates().get(route);
        boolean array = template.startsWith("[");
        String inner = array ? template.substring(1, template.length() - 1) : template;
        Map<String, Object> parsed = t.json.readValue(inner, Map.class);
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> e : parsed.entrySet()) {
            fields.put(e.getKey(), new String(t.json.writeValueAsBytes(e.getValue()), StandardCharsets.UTF_8));
        }
        List<String> own = List.copyOf(fields.keySet());
        mutation.forEach((index, value) -> {
            String field = index >= 0 ? own.get(index % own.size()) : FIELDS.get(Math.floorMod(value.hashCode(), FIELDS.size()));
            if ("<remove>".equals(value)) {
                fields.remove(field);
            } else {
                fields.put(field, value);
            }
        });
        String body = array ? "[" + object(fields) + "]" : object(fields);
        String path = route.split(" ")[1] + (route.endsWith("/import") ? "?companyId=" + company : "");
        HttpResponse<String> r = send("POST", path, "application/json", body);
        assertTrue(r.statusCode() < 500, route + " answered " + r.statusCode() + " " + r.body() + " to: "
                + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
    }

    @Property(tries = 300)
    void generatedJsonNeverAnswersAServerError(@ForAll("routes") String route, @ForAll("bodies") String body) throws Exception {
        String[] parts = route.split(" ");
        String path = parts[1].replace("{id}", UUID.randomUUID().toString());
        if (path.startsWith("/api/v1/properties/import")) {
            path += "?companyId=" + company;
        }
        HttpResponse<String> r = send(parts[0], path, "application/json", body);
        assertTrue(r.statusCode() < 500, route + " answered " + r.statusCode() + " " + r.body() + " to: "
                + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
    }

    @Provide
    Arbitrary<String> csv() {
        Arbitrary<String> field = Arbitraries.oneOf(text(), number(), Arbitraries.of("\"", "\"\"", "a\"b", "\"open", "x,y",
                "line\nbreak", "\r\n", "true", "yes"));
        Arbitrary<String> row = field.list().ofMinSize(1).ofMaxSize(9).map(l -> String.join(",", l));
        Arbitrary<String> header = Arbitraries.of("referenceCode,title,type,price", "referenceCode,title,type,status,price,"
                + "rentPrice,forSale,forRent,address", "referenceCode,bogus", "", "\u0000");
        return net.jqwik.api.Combinators.combine(header, row.list().ofMaxSize(6))
                .as((h, rows) -> h + "\n" + String.join("\n", rows));
    }

    @Property(tries = 150)
    void generatedCsvNeverAnswersAServerError(@ForAll("csv") String csv) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/properties/import?companyId=" + company, "text/csv", csv);
        assertTrue(r.statusCode() < 500, "import answered " + r.statusCode() + " " + r.body() + " to CSV: "
                + (csv.length() > 300 ? csv.substring(0, 300) + "..." : csv));
    }
}
