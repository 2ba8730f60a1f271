package realty.local.plans;

import io.micronaut.data.annotation.Query;
import io.micronaut.json.JsonMapper;
import org.flywaydb.core.Flyway;
import realty.localinfra.LocalPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One database of the JVM's test PostgreSQL for plan tests: created and migrated, its statements
 * EXPLAINed as PostgreSQL runs them (PREPAREd, as a custom or a generic plan), and the plan walked
 * for its scans. {@link #hotTables()} is the database every plan test can read: the hot tables at a
 * million rows, never analysed, filled once per JVM; a test that takes statistics makes a database
 * of its own with {@link #create}.
 */
public final class PlanProbe {
    public static final int ROWS = 1_000_000;
    /** The companies audit_logs rows belong to in {@link #hotTables()} (row g: company 1 + g mod 20). */
    public static final int AUDIT_COMPANIES = 20;
    /** Tables this size or more are "big": reading all of one is a failure. */
    private static final long BIG_TABLE_BYTES = 8L << 20;
    private static final JsonMapper JSON = JsonMapper.createDefault();
    private static final Pattern NAMED = Pattern.compile("(?<!:):([a-zA-Z0-9]+)");
    private static PlanProbe hotTables;

    private final LocalPostgres postgres = LocalPostgres.shared();
    private final String name;
    private final String url;
    private Map<String, String> tableOfIndex;
    private Set<String> bigTables;

    private PlanProbe(String name) {
        this.name = name;
        this.url = postgres.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
    }

    /** A new database with the schema of every migration and no rows. */
    public static PlanProbe create(String prefix) {
        return create(new PlanProbe(prefix + "_" + UUID.randomUUID().toString().replace("-", "")));
    }

    /**
     * The JVM-wide database of hot tables at a million rows each, never analysed (autovacuum off on
     * every table). Read it only (EXPLAIN without ANALYZE of a write changes nothing): the classes that
     * use it run in any order. Dropped with the server when the JVM exits (unless
     * {@link #KEEP_HOT_TABLES} names it).
     */
    public static synchronized PlanProbe hotTables() {
        if (hotTables == null) {
            String kept = System.getProperty(KEEP_HOT_TABLES);
            PlanProbe probe = kept == null ? null : kept(kept);
            if (probe == null) {
                long start = System.nanoTime();
                probe = kept == null ? create("plans_hot") : create(new PlanProbe(kept));
                try {
                    HotTables.fill(probe);
                    if (kept != null) {
                        probe.execute("COMMENT ON DATABASE " + kept + " IS '" + FILLED + "'");
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("could not fill the hot tables", e);
                }
                System.out.printf("[plan] hot tables filled in %.1f s%n", (System.nanoTime() - start) / 1e9);
            }
            hotTables = probe;
        }
        return hotTables;
    }

    /**
     * System property naming a database to keep the hot tables in between runs, for working on a
     * statement: filled on the first run and reused after (filled again when a migration is new),
     * never dropped. Point REALTY_DB_URL at a server that outlives the JVM for it to help.
     */
    public static final String KEEP_HOT_TABLES = "realty.plans.keep-hot-tables";
    private static final String FILLED = "hot tables filled";

    /** The kept database if a previous run filled it, brought up to the current migrations; else null (dropped if half made). */
    private static PlanProbe kept(String name) {
        PlanProbe probe = new PlanProbe(name);
        try (Connection c = DriverManager.getConnection(probe.postgres.jdbcUrl(), probe.postgres.username(), probe.postgres.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '" + name + "'")) {
            // A migration run on the filled tables would leave them with figures an index build sets: fill afresh then.
            if (rs.next() && FILLED.equals(rs.getString(1)) && Flyway.configure().dataSource(probe.url, probe.postgres.username(),
                    probe.postgres.password()).locations("classpath:db/migration").load().info().pending().length == 0) {
                return probe;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not look for " + name, e);
        }
        probe.drop();
        return null;
    }

    private static PlanProbe create(PlanProbe probe) {
        probe.onServer("CREATE DATABASE " + probe.name);
        Flyway.configure().dataSource(probe.url, probe.postgres.username(), probe.postgres.password())
                .locations("classpath:db/migration").load().migrate();
        return probe;
    }

    /** The kinds of rows of {@link #hotTables()}, in the order that numbers them in their ids. */
    static final List<String> KINDS = List.of("company", "user", "invitation", "reset", "agent", "property", "sale", "rule",
            "transaction", "event", "webhook", "bulk", "audit");

    /**
     * The id row {@code n} of {@code kind} has in {@link #hotTables()}: the kind's number, then n, in
     * hex. Ids that grow with n keep the fill's index inserts at the right edge of each b-tree (random
     * ids cost several times as much); without statistics the planner knows nothing of that order.
     */
    public static UUID id(String kind, long n) {
        int k = KINDS.indexOf(kind);
        if (k < 0) {
            throw new IllegalArgumentException("unknown kind " + kind);
        }
        return UUID.fromString(String.format("%08x-0000-4000-8000-%012x", k, n));
    }

    /** {@link #id} as a SQL expression of {@code n}. */
    static String idSql(String kind, String n) {
        int k = KINDS.indexOf(kind);
        if (k < 0) {
            throw new IllegalArgumentException("unknown kind " + kind);
        }
        return "CAST('" + String.format("%08x", k) + "-0000-4000-8000-' || lpad(to_hex(" + n + "), 12, '0') AS uuid)";
    }

    public String url() {
        return url;
    }

    public String username() {
        return postgres.username();
    }

    public String password() {
        return postgres.password();
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, postgres.username(), postgres.password());
    }

    public void execute(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    public void drop() {
        onServer("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void onServer(String sql) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    // ---- statements as the code sends them

    /** The {@code @Query} of the repository method of this name (the statement Micronaut Data runs). */
    public static String query(Class<?> repository, String method) {
        List<Method> found = Arrays.stream(repository.getMethods()).filter(m -> m.getName().equals(method)).toList();
        if (found.size() != 1 || found.get(0).getAnnotation(Query.class) == null) {
            throw new IllegalArgumentException(repository.getSimpleName() + "." + method + ": " + found.size() + " methods, @Query needed");
        }
        return found.get(0).getAnnotation(Query.class).value();
    }

    /** A statement with its parameters numbered $1, $2, ... and their names in that order. */
    public record Numbered(String sql, List<String> names) {
    }

    /** Named parameters (":ids", not the "::uuid[]" casts) become $1, $2, ... in order of first appearance. */
    public static Numbered numberNamed(String sql) {
        Map<String, Integer> numbers = new LinkedHashMap<>();
        Matcher m = NAMED.matcher(sql);
        StringBuilder numbered = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(numbered, "\\$" + numbers.computeIfAbsent(m.group(1), k -> numbers.size() + 1));
        }
        m.appendTail(numbered);
        return new Numbered(numbered.toString(), List.copyOf(numbers.keySet()));
    }

    /** JDBC's {@code ?} parameters become $1, $2, ... */
    public static String numberQuestionMarks(String sql) {
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            numbered.append(ch == '?' ? "$" + (++n) : String.valueOf(ch));
        }
        return numbered.toString();
    }

    /** The named parameters of {@code sql} replaced by these SQL literals (a statement a custom plan sees). */
    public static String inline(String sql, Map<String, String> values) {
        Matcher m = NAMED.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalStateException("no value for :" + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The plan PostgreSQL runs for {@code numberedSql} ($1, $2, ...): PREPAREd with these parameter
     * types and EXPLAIN EXECUTEd with these literals, as a custom plan (the values known, as for the
     * first executions of a prepared statement) or as the generic plan a server-side prepared
     * statement may switch to, which must do without the values. Rolled back, so writes EXPLAINed
     * with {@code analyze} leave nothing behind.
     *
     * @return the top object of the JSON plan ("Plan", and "Execution Time" with analyze)
     */
    public Map<String, Object> explain(String numberedSql, boolean generic, List<String> types, List<String> values, boolean analyze)
            throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                s.execute("SET LOCAL plan_cache_mode = " + (generic ? "force_generic_plan" : "force_custom_plan"));
                s.execute("PREPARE probe" + (types.isEmpty() ? "" : "(" + String.join(", ", types) + ")") + " AS " + numberedSql);
                try (ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON" + (analyze ? ", ANALYZE" : "") + ") EXECUTE probe"
                        + (values.isEmpty() ? "" : "(" + String.join(", ", values) + ")"))) {
                    rs.next();
                    return top(rs.getString(1));
                }
            } finally {
                c.rollback();
                s.execute("DEALLOCATE ALL");
            }
        }
    }

    /** {@link #explain} of a statement with named parameters, typed and valued by name. */
    public Map<String, Object> explainNamed(String sql, boolean generic, Map<String, String> types, Map<String, String> values,
                                            boolean analyze) throws SQLException {
        Numbered n = numberNamed(sql);
        List<String> t = new ArrayList<>();
        List<String> v = new ArrayList<>();
        for (String p : n.names()) {
            if (!types.containsKey(p) || !values.containsKey(p)) {
                throw new IllegalArgumentException("no type or value for :" + p + " in " + sql);
            }
            t.add(types.get(p));
            v.add(values.get(p));
        }
        return explain(n.sql(), generic, t, v, analyze);
    }

    /** EXPLAIN (FORMAT JSON) of a statement without parameters (its values written in), as PostgreSQL prints it. */
    public String explainText(String sql, boolean analyze) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON" + (analyze ? ", ANALYZE" : "") + ") " + sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The top object of a JSON plan. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> top(String json) {
        try {
            return (Map<String, Object>) ((List<Object>) JSON.readValue(json, Object.class)).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- walking a plan

    /** Every node of a plan (a map with "Node Type"), depth first. */
    public static void walk(Object node, Consumer<Map<?, ?>> visitor) {
        if (node instanceof Map<?, ?> map) {
            if (map.containsKey("Node Type")) {
                visitor.accept(map);
            }
            map.values().forEach(child -> walk(child, visitor));
        } else if (node instanceof List<?> list) {
            list.forEach(child -> walk(child, visitor));
        }
    }

    /** One node that reads a table or an index: the table (of the index, for a bitmap index scan), node type, index, condition. */
    public record Scan(String table, String type, String index, String cond) {
        @Override
        public String toString() {
            return table + " " + type + " " + index + (cond == null ? "" : " " + cond);
        }
    }

    /** Every node that reads a table or an index, with its table resolved through the catalogue. */
    public List<Scan> scans(Object plan) throws SQLException {
        Map<String, String> tables = tableOfIndex();
        List<Scan> out = new ArrayList<>();
        walk(plan, node -> {
            String type = String.valueOf(node.get("Node Type"));
            Object relation = node.get("Relation Name");
            Object index = node.get("Index Name");
            if (type.contains("Scan") && (relation != null || index != null)) {
                String table = relation != null ? relation.toString() : tables.getOrDefault(index.toString(), index.toString());
                out.add(new Scan(table, type, index == null ? null : index.toString(),
                        node.get("Index Cond") == null ? null : node.get("Index Cond").toString()));
            }
        });
        return out;
    }

    /** Index name to table name, partitions' indexes to their partition. */
    private synchronized Map<String, String> tableOfIndex() throws SQLException {
        if (tableOfIndex == null) {
            Map<String, String> map = new HashMap<>();
            try (Connection c = connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT i.relname, t.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                         + "JOIN pg_class t ON t.oid = x.indrelid")) {
                while (rs.next()) {
                    map.put(rs.getString(1), rs.getString(2));
                }
            }
            tableOfIndex = map;
        }
        return tableOfIndex;
    }

    /** Tables (partitions included) of {@link #BIG_TABLE_BYTES} or more, measured on first use. */
    private synchronized Set<String> bigTables() throws SQLException {
        if (bigTables == null) {
            Set<String> big = new java.util.TreeSet<>();
            try (Connection c = connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace "
                         + "AND pg_relation_size(oid) >= " + BIG_TABLE_BYTES)) {
                while (rs.next()) {
                    big.add(rs.getString(1));
                }
            }
            bigTables = big;
        }
        return bigTables;
    }

    /**
     * What makes a statement's cost grow with a big table: a Seq Scan of it; a full-index scan (an
     * index scan with no Index Cond) of one of its indexes, unless a Limit right above stops it after
     * a page or the index is one of {@code boundedIndexes} (a partial index whose rows the business
     * keeps few: say why where it is passed); an index walked under a Limit with a filter and no
     * equality in its condition (a page found by reading until enough rows pass); an index read on
     * company_id alone (the scope is no key: all of a company's rows, say for a batch's few); a Sort of its rows
     * that no equality bounds (a range of the table sorted). Empty when the plan only looks rows up.
     */
    public List<String> problems(Map<String, Object> top, Set<String> boundedIndexes) throws SQLException {
        Set<String> big = bigTables();
        Map<String, String> tables = tableOfIndex();
        List<String> out = new ArrayList<>();
        check(top.get("Plan"), false, false, big, tables, boundedIndexes, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void check(Object n, boolean limitAbove, boolean sortAbove, Set<String> big, Map<String, String> tables,
                              Set<String> bounded, List<String> out) {
        Map<String, Object> node = (Map<String, Object>) n;
        if (Integer.valueOf(0).equals(node.get("Actual Loops"))) {
            // EXPLAIN ANALYZE: never executed with these values (a branch a one-time filter of a generic plan turned off)
            return;
        }
        String type = String.valueOf(node.get("Node Type"));
        Object relation = node.get("Relation Name");
        Object index = node.get("Index Name");
        String table = relation != null ? relation.toString() : index != null ? tables.get(index.toString()) : null;
        boolean isBig = table != null && big.contains(table);
        Object cond = node.get("Index Cond");
        if (isBig && type.equals("Seq Scan")) {
            out.add("Seq Scan on " + table);
        }
        if (isBig && index != null && cond == null && !limitAbove && !bounded.contains(index.toString())) {
            out.add("full scan of index " + index + " (" + type + " on " + table + ")");
        }
        // An index range with a filter on the rows, under a Limit: walks the range until a page of rows passes the filter
        // (a company's page read from the primary key: all of the table for a small company).
        if (isBig && index != null && limitAbove && node.get("Filter") != null && !bounded.contains(index.toString())
                && (cond == null || !cond.toString().matches("(?s).*\\s=\\s.*"))) {
            out.add("walk of index " + index + " filtered by " + node.get("Filter"));
        }
        // The scope is no key: an index read on company_id with nothing but ranges or a status beside it is all of a
        // company's rows (a batch's keys filtered out of them), unless a Limit stops the ordered read after a page.
        if (isBig && cond != null && !limitAbove && !bounded.contains(String.valueOf(index)) && companyRange(cond.toString())) {
            out.add("all of a company's entries of " + index + " (" + cond + ")");
        }
        if (isBig && sortAbove && type.contains("Scan") && !type.equals("Bitmap Heap Scan")
                && (cond == null || !cond.toString().matches("(?s).*\\s=\\s.*")) && !bounded.contains(String.valueOf(index))) {
            out.add("Sort over " + type + " of " + table + (cond == null ? "" : " on a range (" + cond + ")"));
        }
        boolean sortHere = type.equals("Sort") || type.equals("Incremental Sort");
        // A Limit stops an ordered index walk after a page, through nodes that pass rows on one by one.
        boolean passThrough = Set.of("LockRows", "Result", "Subquery Scan", "Limit").contains(type);
        boolean limitBelow = type.equals("Limit") || (limitAbove && passThrough);
        boolean sortBelow = sortHere || (sortAbove && !type.equals("Limit"));
        for (Object child : (List<Object>) node.getOrDefault("Plans", List.of())) {
            check(child, limitBelow, sortBelow, big, tables, bounded, out);
        }
    }

    /** An index condition on company_id whose other clauses are only ranges or a status: a company's range, not keys. */
    static boolean companyRange(String cond) {
        String[] clauses = cond.replaceAll("[()]", "").split(" AND ");
        boolean company = false;
        for (String clause : clauses) {
            if (clause.matches("(\\w+\\.)?company_id = .*")) {
                company = true;
            } else if (!clause.matches("(\\w+\\.)?\\w+ [<>]=? .*") && !clause.matches("(\\w+\\.)?\\w*status = '[^']*'::text")) {
                return false;
            }
        }
        return company;
    }

    /** The plan's estimated total cost. */
    @SuppressWarnings("unchecked")
    public static double cost(Map<String, Object> top) {
        return ((Number) ((Map<String, Object>) top.get("Plan")).get("Total Cost")).doubleValue();
    }

    /** The plan's node types and relations, one line, for failure messages and the test log. */
    public static String summary(Map<String, Object> top) {
        List<String> parts = new ArrayList<>();
        walk(top.get("Plan"), node -> parts.add(node.get("Node Type")
                + (node.get("Relation Name") != null ? " " + node.get("Relation Name") : "")
                + (node.get("Index Name") != null ? " [" + node.get("Index Name") + "]" : "")
                + (node.get("Index Cond") != null ? " (" + String.valueOf(node.get("Index Cond")).replaceAll("'\\{[^}]{40,}}'", "'{...}'") + ")" : "")));
        return String.join(" > ", parts);
    }
}
