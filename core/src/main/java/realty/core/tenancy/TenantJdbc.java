package realty.core.tenancy;

import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The only way feature code reads or changes tenant rows. Every statement must contain a
 * {@code {scope:alias}} token, which becomes {@code alias.company_id = ANY(?)} bound to the
 * caller's companies (or {@code TRUE} for an every-company scope); a statement without the token is
 * refused before it reaches the database, so a query that forgets tenancy cannot be written by
 * accident.
 *
 * <pre>{@code
 * jdbc.one(c, scope, "SELECT ... FROM properties p WHERE p.id = ? AND {scope:p}", MAPPER, id)
 * }</pre>
 */
@Singleton
public class TenantJdbc {
    private static final Pattern TOKEN = Pattern.compile("\\{scope:([A-Za-z_][A-Za-z0-9_]*)}");

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public <T> List<T> list(Connection c, TenantScope scope, String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, scope, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        }
    }

    public <T> Optional<T> one(Connection c, TenantScope scope, String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        List<T> rows = list(c, scope, sql, mapper, args);
        if (rows.size() > 1) {
            throw new IllegalStateException("expected at most one row, got " + rows.size());
        }
        return rows.stream().findFirst();
    }

    /** UPDATE or DELETE restricted to the scope; returns the affected row count. */
    public int update(Connection c, TenantScope scope, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, scope, sql, args)) {
            return ps.executeUpdate();
        }
    }

    PreparedStatement prepare(Connection c, TenantScope scope, String sql, Object... args) throws SQLException {
        Matcher m = TOKEN.matcher(sql);
        StringBuilder rewritten = new StringBuilder();
        List<Object> binds = new ArrayList<>(java.util.Arrays.asList(args));
        int tokens = 0;
        int last = 0;
        int inserted = 0;
        while (m.find()) {
            tokens++;
            String before = sql.substring(last, m.start());
            rewritten.append(before);
            if (scope.everyCompany()) {
                rewritten.append("TRUE");
            } else {
                int position = countPlaceholders(sql.substring(0, m.start())) + inserted;
                rewritten.append(m.group(1)).append(".company_id = ANY(?::uuid[])");
                binds.add(position, c.createArrayOf("uuid", scope.companyIds().toArray()));
                inserted++;
            }
            last = m.end();
        }
        if (tokens == 0) {
            throw new IllegalArgumentException("tenant statement without a {scope:alias} restriction: " + sql);
        }
        rewritten.append(sql.substring(last));
        PreparedStatement ps = c.prepareStatement(rewritten.toString());
        try {
            for (int i = 0; i < binds.size(); i++) {
                ps.setObject(i + 1, binds.get(i));
            }
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
        return ps;
    }

    private static int countPlaceholders(String sql) {
        int n = 0;
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == '?') {
                n++;
            }
        }
        return n;
    }
}
