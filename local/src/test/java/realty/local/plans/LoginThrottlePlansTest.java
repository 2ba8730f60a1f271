package realty.local.plans;

import io.micronaut.data.annotation.Query;
import io.micronaut.json.JsonMapper;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;
import realty.api.auth.LoginThrottleRepository;
import realty.localinfra.LocalPostgres;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every statement a login runs on {@code login_throttles} reaches its rows through the primary key
 * on a million rows without statistics, as a custom and as a generic plan (what a server-side
 * prepared statement switches to): a login costs the same however many windows are stored. The
 * statements are read from the repository's {@code @Query} annotations, so they are the ones that run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginThrottlePlansTest {
    private final LocalPostgres postgres = LocalPostgres.shared();
    private final String database = "throttle_plans_" + UUID.randomUUID().toString().replace("-", "");
    private final JsonMapper json = JsonMapper.createDefault();
    private String url;

    @BeforeAll
    void fillAMillionWindowsWithoutStatistics() throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        url = postgres.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        Flyway.configure().dataSource(url, postgres.username(), postgres.password()).locations("classpath:db/migration").load().migrate();
        try (Connection c = DriverManager.getConnection(url, postgres.username(), postgres.password()); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE login_throttles SET (autovacuum_enabled = false)");
            s.execute("INSERT INTO login_throttles (key, window_start, attempts, failures) SELECT "
                    + "(CASE WHEN mod(g, 2) = 0 THEN 'account:' ELSE 'source:' END) || md5(g::text), "
                    + "now() - mod(g, 3600) * interval '1 second', 1 + mod(g, 5), mod(g, 5) FROM generate_series(1, 1000000) g");
        }
    }

    @AfterAll
    void drop() throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static final Map<String, String> TYPES = Map.of("account", "text", "source", "text", "windowSeconds", "int",
            "accountWindow", "timestamptz", "sourceWindow", "timestamptz", "key", "text");
    private static final Map<String, String> VALUES = Map.of("account", "'account:" + "0".repeat(32) + "'",
            "source", "'source:198.51.100.1'", "windowSeconds", "900", "accountWindow", "now()", "sourceWindow", "now()",
            "key", "'password-change:00000000-0000-0000-0000-000000000000'");

    @Test
    void theLoginStatementsUseThePrimaryKey() throws Exception {
        // reserveOne: the password change's throttle (PasswordThrottle); the others serve it too, with one key twice
        for (String method : List.of("reserve", "release", "fail", "succeed", "reserveOne")) {
            assertUsesThePrimaryKey(method);
        }
    }

    private void assertUsesThePrimaryKey(String method) throws Exception {
        Method m = Arrays.stream(LoginThrottleRepository.class.getMethods()).filter(x -> x.getName().equals(method)).findFirst().orElseThrow();
        Query query = m.getAnnotation(Query.class);
        assertNotNull(query, method + " has no @Query at run time");
        for (boolean generic : new boolean[]{false, true}) {
            String plan = plan(query.value(), generic);
            List<String> scans = new ArrayList<>();
            scans(json.readValue(plan, Object.class), scans);
            System.out.println("[plan] " + method + (generic ? " generic: " : " custom: ") + scans);
            assertFalse(scans.stream().anyMatch(s -> s.startsWith("Seq Scan")), method + " scans the table: " + scans);
            boolean arbiter = plan.contains("\"Conflict Arbiter Indexes\"") && plan.contains("login_throttles_pkey");
            assertTrue(arbiter || !scans.isEmpty() && scans.stream().allMatch(s -> s.contains("login_throttles_pkey")),
                    method + " must reach its rows by primary key: " + scans + " " + plan);
        }
    }

    /** Accesses to login_throttles: table scans by node type, index scans by index name. */
    private static void scans(Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            String type = String.valueOf(map.get("Node Type"));
            boolean table = "login_throttles".equals(map.get("Relation Name")) && type.contains("Scan") && !type.equals("Bitmap Heap Scan");
            boolean index = String.valueOf(map.get("Index Name")).startsWith("login_throttles");
            if (table || index) {
                out.add(type + " " + map.get("Index Name"));
            }
            map.values().forEach(child -> scans(child, out));
        } else if (node instanceof List<?> list) {
            list.forEach(child -> scans(child, out));
        }
    }

    /** EXPLAIN of the statement PREPAREd with its named parameters as $1, $2, ...; rolled back. */
    private String plan(String sql, boolean generic) throws Exception {
        Map<String, Integer> numbers = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?<!:):([a-zA-Z0-9]+)").matcher(sql);
        StringBuilder numbered = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(numbered, "\\$" + numbers.computeIfAbsent(m.group(1), k -> numbers.size() + 1));
        }
        m.appendTail(numbered);
        List<String> types = numbers.keySet().stream().map(TYPES::get).toList();
        List<String> values = numbers.keySet().stream().map(VALUES::get).toList();
        try (Connection c = DriverManager.getConnection(url, postgres.username(), postgres.password()); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.execute("SET LOCAL plan_cache_mode = " + (generic ? "force_generic_plan" : "force_custom_plan"));
                s.execute("PREPARE hot(" + String.join(", ", types) + ") AS " + numbered);
                try (ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE hot(" + String.join(", ", values) + ")")) {
                    rs.next();
                    return rs.getString(1);
                }
            } finally {
                c.rollback();
            }
        }
    }
}
