package realty.api.property;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import realty.core.id.TimeOrderedIds;
import realty.core.tenancy.RowScope;
import realty.api.security.Access;
import realty.api.web.ProblemException;
import realty.api.web.RequestInfo;
import realty.core.event.AggregateRef;
import realty.api.web.BulkOperations;
import realty.core.bulk.BulkProgress;
import realty.core.event.EventEnvelope;
import realty.core.event.EventType;
import realty.core.event.payload.PropertiesImported;
import realty.core.event.payload.PropertyCreated;
import realty.core.outbox.EventRef;
import realty.api.outbox.EventfulTransaction;
import realty.core.security.Caller;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static realty.api.security.PermissionMatrix.Action.CREATE;
import static realty.api.security.PermissionMatrix.Resource.PROPERTY;

/**
 * {@code POST /api/v1/properties/import}: up to 10,000 properties from a JSON array or CSV,
 * validated first and inserted all-or-nothing in one transaction (JDBC batches), with one
 * {@code property.created} per row plus one {@code properties.imported}, all through the outbox.
 */
@Singleton
public class PropertyImport {
    public static final int MAX_ROWS = 10_000;
    private static final int MAX_REPORTED_ERRORS = 100;
    private static final int BATCH = 1_000;
    static final List<String> CSV_COLUMNS = List.of("referenceCode", "title", "type", "status", "price", "rentPrice", "forSale",
            "forRent", "address", "agentId", "prospectorId", "ownerUserId");

    private final EventfulTransaction writes;
    private final JsonMapper json;
    private final PropertyRepository properties;
    private final BulkProgress bulks;

    public PropertyImport(EventfulTransaction writes, JsonMapper json, PropertyRepository properties, BulkProgress bulks) {
        this.properties = properties;
        this.bulks = bulks;
        this.writes = writes;
        this.json = json;
    }

    /** The result: {@code {count, ids, events}}. */
    @io.micronaut.serde.annotation.Serdeable
    public record ImportResult(int count, List<UUID> ids, List<EventRef> events) {
    }

    public ImportResult importRows(Caller caller, UUID companyId, String contentType, byte[] body, RequestInfo info) {
        Access.require(caller, PROPERTY, CREATE);
        UUID company = companyId != null ? companyId : PropertyService.singleCompany(caller);
        Access.requireCompany(caller, company);
        Map<String, String> errors = new LinkedHashMap<>();
        List<PropertyInput> rows = contentType != null && contentType.toLowerCase().startsWith("text/csv")
                ? parseCsv(body, errors) : parseJson(body);
        if (rows.size() > MAX_ROWS) {
            throw new ProblemException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "Too many rows",
                    "an import holds at most " + MAX_ROWS + " rows; this one has " + rows.size(), null);
        }
        if (rows.isEmpty() && errors.isEmpty()) {
            throw ProblemException.badRequest("the import is empty", Map.of("body", "no rows"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            PropertyInput r = rows.get(i);
            if (r == null) {
                continue; // a CSV row that did not parse; already reported
            }
            Map<String, String> p = new LinkedHashMap<>(r.problems());
            if (r.companyId() != null && !r.companyId().equals(company)) {
                p.put("companyId", "must be the import's company " + company);
            }
            if (r.referenceCode() != null && !seen.add(r.referenceCode().trim())) {
                p.put("referenceCode", "appears twice in this import");
            }
            report(errors, i + 1, p);
        }
        rejectIfAny(errors);
        List<PropertyInput> valid = rows.stream().map(r -> r.withCompany(company)).toList();
        List<UUID> ids = new ArrayList<>(valid.size());
        for (int i = 0; i < valid.size(); i++) {
            ids.add(TimeOrderedIds.next());
        }
        EventfulTransaction.Committed<List<UUID>> committed = writes.execute(c -> {
            checkAgainstDatabase(RowScope.of(caller), company, valid, errors);
            rejectIfAny(errors);
            insert(c, valid, ids, caller.actorId());
            List<EventEnvelope> events = events(valid, ids, company, caller, info);
            // Its starter is mailed once every consumer has finished the import (BulkProgress).
            BulkOperations.open(bulks, BulkProgress.PROPERTY_IMPORT, company, info.requestId(), caller.userId(), ids.size(), events);
            return new EventfulTransaction.Result<>(ids, events);
        });
        return new ImportResult(ids.size(), ids, committed.events());
    }

    private List<PropertyInput> parseJson(byte[] body) {
        try {
            List<PropertyInput> rows = json.readValue(body, Argument.listOf(PropertyInput.class));
            if (rows == null) {
                throw ProblemException.badRequest("expected a JSON array of properties", null);
            }
            if (rows.stream().anyMatch(r -> r == null)) {
                throw ProblemException.badRequest("null rows are not allowed", null);
            }
            return rows;
        } catch (IOException e) {
            throw ProblemException.badRequest("expected a JSON array of properties: " + firstLine(e.getMessage()), null);
        }
    }

    private static List<PropertyInput> parseCsv(byte[] body, Map<String, String> errors) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true)
                .setIgnoreEmptyLines(true).build();
        List<PropertyInput> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(new String(body, StandardCharsets.UTF_8)), format)) {
            List<String> header = parser.getHeaderNames();
            List<String> unknown = header.stream().filter(h -> !CSV_COLUMNS.contains(h)).toList();
            if (!unknown.isEmpty()) {
                throw ProblemException.badRequest("unknown CSV columns " + unknown, Map.of("header", "allowed columns: "
                        + String.join(",", CSV_COLUMNS)));
            }
            for (CSVRecord record : parser) {
                if (rows.size() > MAX_ROWS) {
                    break; // reported as 413 by the caller; stop reading a CSV bomb
                }
                int number = rows.size() + 1;
                Map<String, String> p = new LinkedHashMap<>();
                Map<String, String> v = new HashMap<>();
                for (String column : header) {
                    String value = record.isSet(column) ? record.get(column) : null;
                    if (value != null && value.indexOf('\0') >= 0) {
                        p.put(column, "must not contain NUL characters"); // PostgreSQL text cannot hold NUL
                        value = null;
                    }
                    v.put(column, value == null || value.isEmpty() ? null : value);
                }
                if (record.size() != header.size()) {
                    p.put("columns", "expected " + header.size() + " values, found " + record.size());
                }
                PropertyInput row = new PropertyInput(null, v.get("referenceCode"), v.get("title"), v.get("type"), v.get("status"),
                        money(v.get("price"), "price", p), money(v.get("rentPrice"), "rentPrice", p), bool(v.get("forSale"), "forSale", p),
                        bool(v.get("forRent"), "forRent", p), v.get("address"), uuid(v.get("agentId"), "agentId", p),
                        uuid(v.get("prospectorId"), "prospectorId", p), uuid(v.get("ownerUserId"), "ownerUserId", p));
                report(errors, number, p);
                rows.add(p.isEmpty() ? row : null);
            }
        } catch (IOException | UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            // the record iterator reports a syntax error (an unterminated quote) as UncheckedIOException
            throw ProblemException.badRequest("malformed CSV: " + firstLine(e.getMessage()), null);
        }
        return rows;
    }

    private void checkAgainstDatabase(RowScope scope, UUID company, List<PropertyInput> rows, Map<String, String> errors) {
        Set<String> existing = new HashSet<>(properties.existingReferenceCodes(scope, company,
                rows.stream().map(r -> r.referenceCode().trim()).toArray(String[]::new)));
        Set<UUID> agents = new HashSet<>();
        Set<UUID> wanted = new HashSet<>();
        rows.forEach(r -> {
            if (r.agentId() != null) {
                wanted.add(r.agentId());
            }
            if (r.prospectorId() != null) {
                wanted.add(r.prospectorId());
            }
        });
        if (!wanted.isEmpty()) {
            for (String agent : properties.agentsOfCompany(scope, company, wanted.stream().map(UUID::toString).toArray(String[]::new))) {
                agents.add(UUID.fromString(agent));
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            PropertyInput r = rows.get(i);
            Map<String, String> p = new LinkedHashMap<>();
            if (existing.contains(r.referenceCode().trim())) {
                p.put("referenceCode", "already exists in the company");
            }
            if (r.agentId() != null && !agents.contains(r.agentId())) {
                p.put("agentId", "not an agent of the company");
            }
            if (r.prospectorId() != null && !agents.contains(r.prospectorId())) {
                p.put("prospectorId", "not an agent of the company");
            }
            report(errors, i + 1, p);
        }
    }

    private static void insert(Connection c, List<PropertyInput> rows, List<UUID> ids, String createdBy) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PropertyRepository.INSERT)) {
            for (int i = 0; i < rows.size(); i++) {
                PropertyService.bindInsert(ps, ids.get(i), rows.get(i), createdBy);
                ps.addBatch();
                if ((i + 1) % BATCH == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw PropertyService.translate(e);
        }
    }

    private static List<EventEnvelope> events(List<PropertyInput> rows, List<UUID> ids, UUID company, Caller caller, RequestInfo info) {
        List<EventEnvelope> events = new ArrayList<>(rows.size() + 1);
        EventEnvelope imported = EventEnvelope.create(EventType.PROPERTIES_IMPORTED, company, PropertyService.actor(caller, info),
                info.requestId(), null, new AggregateRef("company", company.toString()),
                new PropertiesImported(rows.size(), ids.get(0), ids.get(ids.size() - 1), caller.actorId()));
        for (int i = 0; i < rows.size(); i++) {
            PropertyInput r = rows.get(i);
            PropertyCreated payload = new PropertyCreated(ids.get(i), r.referenceCode().trim(), r.title().trim(), r.type(), null,
                    r.price() == null ? null : r.price().toPlainString(), null, null, imported.id(), 1);
            events.add(EventEnvelope.create(EventType.PROPERTY_CREATED, company, PropertyService.actor(caller, info), info.requestId(),
                    imported.id(), new AggregateRef("property", ids.get(i).toString()), payload));
        }
        events.add(imported);
        return events;
    }

    private static void report(Map<String, String> errors, int row, Map<String, String> problems) {
        if (problems.isEmpty() || errors.size() >= MAX_REPORTED_ERRORS) {
            return;
        }
        StringBuilder s = new StringBuilder();
        problems.forEach((field, msg) -> s.append(s.length() == 0 ? "" : "; ").append(field).append(": ").append(msg));
        errors.put("row " + row, s.toString());
    }

    private static void rejectIfAny(Map<String, String> errors) {
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("the import was rejected; nothing was inserted (first "
                    + Math.min(errors.size(), MAX_REPORTED_ERRORS) + " problems listed)", errors);
        }
    }

    private static BigDecimal money(String v, String field, Map<String, String> p) {
        if (v == null) {
            return null;
        }
        try {
            return new BigDecimal(v);
        } catch (NumberFormatException e) {
            p.put(field, "not a number");
            return null;
        }
    }

    private static Boolean bool(String v, String field, Map<String, String> p) {
        if (v == null) {
            return null;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.valueOf(v);
        }
        p.put(field, "true or false");
        return null;
    }

    private static UUID uuid(String v, String field, Map<String, String> p) {
        if (v == null) {
            return null;
        }
        try {
            return UUID.fromString(v);
        } catch (IllegalArgumentException e) {
            p.put(field, "not an id");
            return null;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
