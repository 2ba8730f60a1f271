package realty.core.audit;

import jakarta.inject.Singleton;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import realty.core.tenancy.RowScope;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Writes the audit rows of a time range, within a row scope, onto a stream as NDJSON or CSV. Rows
 * come through a server-side cursor (a fetch size in a transaction: pgjdbc then reads 1,000 rows at
 * a time instead of the whole result) and go out one by one, so memory does not grow with the range
 * (docs/operations.md has the measured heap for a million rows).
 *
 * <p>Native JDBC on purpose: a repository method returns the whole list. The scope is the caller's
 * RowScope, spelled out per company: each company's rows in time order through
 * audit_logs_company_time, one company after the other; the platform admin's through audit_logs_time.
 */
@Singleton
public class AuditExport {
    public enum Format {
        NDJSON("application/x-ndjson", "ndjson"), CSV("text/csv", "csv");

        public final String contentType;
        public final String extension;

        Format(String contentType, String extension) {
            this.contentType = contentType;
            this.extension = extension;
        }
    }

    private static final int FETCH_SIZE = 1000;
    private static final String RANGE = " FROM audit_logs l WHERE l.occurred_at >= ? AND l.occurred_at < ?";

    /**
     * @param c a connection in a transaction (auto-commit off), so the cursor can fetch in steps
     * @return the number of rows written
     */
    public long write(Connection c, RowScope scope, Instant from, Instant to, Format format, OutputStream out)
            throws SQLException, IOException {
        if (c.getAutoCommit()) {
            throw new IllegalStateException("the export needs a transaction: with auto-commit pgjdbc reads the whole result");
        }
        RowSink sink = format == Format.NDJSON ? ndjson(out) : csv(out);
        long rows = 0;
        if (scope.allCompanies()) {
            rows += copy(c, "SELECT " + AuditRows.COLUMNS + RANGE + " ORDER BY l.occurred_at, l.id", null, from, to, sink);
        } else {
            List<String> companies = new ArrayList<>(Arrays.asList(scope.companies()));
            companies.sort(null);
            for (String company : companies) {
                rows += copy(c, "SELECT " + AuditRows.COLUMNS + RANGE + " AND l.company_id = ? ORDER BY l.occurred_at, l.id",
                        UUID.fromString(company), from, to, sink);
            }
        }
        sink.finish();
        return rows;
    }

    private static long copy(Connection c, String sql, UUID company, Instant from, Instant to, RowSink sink)
            throws SQLException, IOException {
        long rows = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(FETCH_SIZE);
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            if (company != null) {
                ps.setObject(3, company);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.write(rs);
                    rows++;
                }
            }
        }
        return rows;
    }

    private interface RowSink {
        void write(ResultSet rs) throws SQLException, IOException;

        void finish() throws IOException;
    }

    private static RowSink ndjson(OutputStream out) throws IOException {
        AuditRows.NdjsonWriter writer = AuditRows.ndjson(out);
        return new RowSink() {
            @Override
            public void write(ResultSet rs) throws SQLException, IOException {
                writer.write(rs);
            }

            @Override
            public void finish() throws IOException {
                writer.flush();
            }
        };
    }

    /** One header line, then one record per row; profiles joined by '|', data as its JSON text. */
    private static RowSink csv(OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(w, CSVFormat.RFC4180.builder().setHeader(AuditRows.HEADER).build());
        return new RowSink() {
            private final Object[] record = new Object[AuditRows.HEADER.length];

            @Override
            public void write(ResultSet rs) throws SQLException, IOException {
                for (int i = 0; i < record.length; i++) {
                    int column = i + 1;
                    record[i] = switch (AuditRows.HEADER[i]) {
                        case "actorProfiles" -> {
                            Array a = rs.getArray(column);
                            yield a == null ? "" : String.join("|", Arrays.stream((Object[]) a.getArray()).map(String::valueOf).toList());
                        }
                        case "occurredAt", "recordedAt" -> rs.getTimestamp(column).toInstant().toString();
                        default -> rs.getString(column);
                    };
                }
                printer.printRecord(record);
            }

            @Override
            public void finish() throws IOException {
                printer.flush();
            }
        };
    }
}
