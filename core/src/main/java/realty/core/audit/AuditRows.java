package realty.core.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * The columns of an audit row as the archive and the export write them, and the NDJSON line of one
 * row. Lines are written with Jackson's streaming generator straight from the result set (the
 * {@code data} column is copied as the raw JSON the database holds), so nothing per range is kept.
 */
public final class AuditRows {
    /** Select list, in the order of {@link #HEADER}; {@code data} as text so it is copied unparsed. */
    public static final String COLUMNS = "l.id, l.company_id, l.event_id, l.event_type, l.actor_user_id, l.actor_profiles, "
            + "l.actor_system, l.resource_type, l.resource_id, l.occurred_at, l.recorded_at, l.request_id, l.source_ip, "
            + "l.user_agent, CAST(l.data AS text) AS data";
    public static final String[] HEADER = {"id", "companyId", "eventId", "eventType", "actorUserId", "actorProfiles",
            "actorSystem", "resourceType", "resourceId", "occurredAt", "recordedAt", "requestId", "sourceIp", "userAgent", "data"};

    private static final JsonFactory JSON = new JsonFactory();

    private AuditRows() {
    }

    /** A writer of NDJSON lines onto {@code out}; {@link NdjsonWriter#flush()} before closing the stream. */
    public static NdjsonWriter ndjson(OutputStream out) throws IOException {
        JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8);
        g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        g.setRootValueSeparator(null);
        return new NdjsonWriter(g, out);
    }

    /** One line per row: a JSON object with the fields of {@link #HEADER}. */
    public static final class NdjsonWriter {
        private final JsonGenerator g;
        private final OutputStream out;

        private NdjsonWriter(JsonGenerator g, OutputStream out) {
            this.g = g;
            this.out = out;
        }

        public void write(ResultSet rs) throws SQLException, IOException {
            g.writeStartObject();
            for (int i = 0; i < HEADER.length; i++) {
                String name = HEADER[i];
                int column = i + 1;
                switch (name) {
                    case "actorProfiles" -> {
                        g.writeArrayFieldStart(name);
                        Array a = rs.getArray(column);
                        if (a != null) {
                            for (Object p : (Object[]) a.getArray()) {
                                g.writeString(String.valueOf(p));
                            }
                        }
                        g.writeEndArray();
                    }
                    case "occurredAt", "recordedAt" -> {
                        Timestamp t = rs.getTimestamp(column);
                        g.writeStringField(name, t == null ? null : t.toInstant().toString());
                    }
                    case "data" -> {
                        g.writeFieldName(name);
                        String data = rs.getString(column);
                        g.writeRawValue(data == null ? "{}" : data);
                    }
                    default -> {
                        String v = rs.getString(column);
                        if (v == null) {
                            g.writeNullField(name);
                        } else {
                            g.writeStringField(name, v);
                        }
                    }
                }
            }
            g.writeEndObject();
            g.flush();
            out.write('\n');
        }

        public void flush() throws IOException {
            g.flush();
            out.flush();
        }
    }
}
